package io.aimstore.server.api.etcd;

import io.aimstore.etcd.api.ClusterGrpc;
import io.aimstore.etcd.api.Member;
import io.aimstore.etcd.api.MemberAddRequest;
import io.aimstore.etcd.api.MemberAddResponse;
import io.aimstore.etcd.api.MemberListRequest;
import io.aimstore.etcd.api.MemberListResponse;
import io.aimstore.etcd.api.MemberPromoteRequest;
import io.aimstore.etcd.api.MemberPromoteResponse;
import io.aimstore.etcd.api.MemberRemoveRequest;
import io.aimstore.etcd.api.MemberRemoveResponse;
import io.aimstore.etcd.api.MemberUpdateRequest;
import io.aimstore.etcd.api.MemberUpdateResponse;
import io.aimstore.server.api.ClusterService;
import io.grpc.stub.StreamObserver;

/**
 * etcd's Cluster service: MemberList from aimstore's {@link ClusterService}; membership changes are
 * not offered through the etcd API.
 */
final class EtcdClusterService extends ClusterGrpc.ClusterImplBase {
  static final String NO_MEMBERSHIP_CHANGES =
      "aimstore does not change membership through the etcd API: members are configured"
          + " (member = lines of each member's config; see docs/operations.md)";

  private final ClusterService cluster;

  EtcdClusterService(ClusterService cluster) {
    this.cluster = cluster;
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

  @Override
  public void memberAdd(MemberAddRequest req, StreamObserver<MemberAddResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(NO_MEMBERSHIP_CHANGES));
  }

  @Override
  public void memberRemove(MemberRemoveRequest req, StreamObserver<MemberRemoveResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(NO_MEMBERSHIP_CHANGES));
  }

  @Override
  public void memberUpdate(MemberUpdateRequest req, StreamObserver<MemberUpdateResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(NO_MEMBERSHIP_CHANGES));
  }

  @Override
  public void memberPromote(MemberPromoteRequest req, StreamObserver<MemberPromoteResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(NO_MEMBERSHIP_CHANGES));
  }
}
