package io.aimstore.server.api.etcd;

import io.aimstore.etcd.api.ClusterGrpc;
import io.aimstore.etcd.api.Member;
import io.aimstore.etcd.api.MemberListRequest;
import io.aimstore.etcd.api.MemberListResponse;
import io.aimstore.server.api.ClusterService;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;

/**
 * etcd's Cluster service: MemberList from aimstore's {@link ClusterService}; membership changes are
 * not offered through the etcd API.
 */
final class EtcdClusterService implements ClusterGrpc.AsyncService, BindableService {
  static final String NO_MEMBERSHIP_CHANGES =
      "aimstore does not change membership through the etcd API: members are configured"
          + " (member = lines of each member's config; see docs/operations.md)";

  private final ClusterService cluster;

  EtcdClusterService(ClusterService cluster) {
    this.cluster = cluster;
  }

  @Override
  public ServerServiceDefinition bindService() {
    return Refusals.refuse(
        ClusterGrpc.bindService(this),
        NO_MEMBERSHIP_CHANGES,
        ClusterGrpc.getMemberAddMethod(),
        ClusterGrpc.getMemberRemoveMethod(),
        ClusterGrpc.getMemberUpdateMethod(),
        ClusterGrpc.getMemberPromoteMethod());
  }

  /**
   * A member as etcd shows it; URLs take the scheme of the call (https over TLS). A non-voting
   * member (LISTENER) is a learner.
   */
  static Member member(io.aimstore.api.v1.Member m, String scheme) {
    Member.Builder b =
        Member.newBuilder()
            .setID(m.getId())
            .setName(m.getName())
            .setIsLearner(m.getRole().equals("LISTENER"));
    if (!m.getPeerAddress().isEmpty()) {
      b.addPeerURLs(scheme + "://" + m.getPeerAddress());
    }
    if (!m.getClientAddress().isEmpty()) {
      b.addClientURLs(scheme + "://" + m.getClientAddress());
    }
    return b.build();
  }

  @Override
  public void memberList(MemberListRequest req, StreamObserver<MemberListResponse> obs) {
    String scheme = CallInfo.current().scheme();
    cluster.memberList(
        io.aimstore.api.v1.MemberListRequest.getDefaultInstance(),
        Relay.to(
            obs,
            r -> {
              MemberListResponse.Builder b =
                  MemberListResponse.newBuilder().setHeader(EtcdMessages.header(r.getHeader()));
              r.getMembersList().forEach(m -> b.addMembers(member(m, scheme)));
              return b.build();
            }));
  }
}
