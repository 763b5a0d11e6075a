package io.aimstore.server.api;

import io.aimstore.api.v1.ClusterGrpc;
import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.MemberListRequest;
import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.api.v1.StatusRequest;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.MemberInfo;
import io.aimstore.server.raft.RaftNode;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Cluster status and membership, as this member sees them. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  /** Reported by Status; bump with releases. */
  public static final String VERSION = "0.1.0";

  private final ClusterView cluster;
  private final RaftNode raft;
  private final Headers headers;
  private final PeerChannels peers;

  public ClusterService(ClusterView cluster, RaftNode raft, Headers headers, PeerChannels peers) {
    this.cluster = cluster;
    this.raft = raft;
    this.headers = headers;
    this.peers = peers;
  }

  @Override
  public void status(StatusRequest req, StreamObserver<StatusResponse> obs) {
    if (!req.getMember().isEmpty() && !req.getMember().equals(cluster.selfName())) {
      if (cluster.member(req.getMember()).isEmpty()) {
        obs.onError(
            GrpcErrors.toStatus(
                StoreException.notFound(
                    "no member named "
                        + req.getMember()
                        + "; members are "
                        + String.join(", ", cluster.names()))));
        return;
      }
      ClusterGrpc.newStub(peers.to(req.getMember()))
          .status(StatusRequest.getDefaultInstance(), obs);
      return;
    }
    Replies.run(() -> CompletableFuture.completedFuture(localStatus()), obs);
  }

  private StatusResponse localStatus() {
    StatusResponse.Builder b =
        raft.stateMachine()
            .read(
                s ->
                    StatusResponse.newBuilder()
                        .setHeader(headers.at(s.revision()))
                        .setDbSize(s.sizeBytes())
                        .setCompactRevision(s.compactRevision()));
    String leader = raft.leader().orElse("");
    return b.setVersion(VERSION)
        .setLeader(leader.isEmpty() ? 0 : cluster.memberId(leader))
        .setLeaderName(leader)
        .setRaftTerm(raft.term())
        .setRaftAppliedIndex(raft.appliedIndex())
        .setRaftCommitIndex(raft.commitIndex())
        .setRole(raft.role())
        .addAllMembers(members())
        .build();
  }

  @Override
  public void memberList(MemberListRequest req, StreamObserver<MemberListResponse> obs) {
    Replies.run(
        () ->
            CompletableFuture.completedFuture(
                MemberListResponse.newBuilder()
                    .setHeader(headers.at(raft.stateMachine().read(s -> s.revision())))
                    .addAllMembers(members())
                    .build()),
        obs);
  }

  private List<Member> members() {
    List<Member> out = new ArrayList<>();
    for (MemberInfo m : raft.members()) {
      Member.Builder b =
          Member.newBuilder()
              .setId(cluster.memberId(m.name()))
              .setName(m.name())
              .setPeerAddress(m.raftAddress())
              .setIsLeader(m.role().equals("LEADER"))
              .setRole(m.role());
      cluster
          .member(m.name())
          .ifPresent(e -> b.setClientAddress(e.client()).setMetricsAddress(e.metrics()));
      out.add(b.build());
    }
    return out;
  }
}
