package io.aimstore.server.api;

import io.aimstore.api.v1.ClusterGrpc;
import io.aimstore.api.v1.CorruptionCheckResult;
import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.MemberAddRequest;
import io.aimstore.api.v1.MemberChangeResponse;
import io.aimstore.api.v1.MemberListRequest;
import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.api.v1.MemberPromoteRequest;
import io.aimstore.api.v1.MemberRecord;
import io.aimstore.api.v1.MemberRemoveRequest;
import io.aimstore.api.v1.MemberTransferLeaderRequest;
import io.aimstore.api.v1.StatusRequest;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.internal.Command;
import io.aimstore.internal.MemberChange;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.AimStateMachine;
import io.aimstore.server.raft.MemberInfo;
import io.aimstore.server.raft.RaftMembership;
import io.aimstore.server.raft.RaftNode;
import io.aimstore.server.raft.StoreUnavailableException;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Cluster status and membership. Membership changes are admin actions, run by the leader (other
 * members forward them): each is checked against the Raft configuration, audited through the log
 * (with the member's record, for an add or remove), and then made with Ratis' setConfiguration.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  /** Reported by Status; bump with releases. */
  public static final String VERSION = "0.1.0";

  private final Calls calls;
  private final ClusterView cluster;
  private final RaftNode raft;
  private final PeerChannels peers;
  private final AddedMembers added;
  private final Supplier<Optional<CorruptionCheckResult>> corruptionCheck;

  public ClusterService(
      Calls calls,
      ClusterView cluster,
      RaftNode raft,
      PeerChannels peers,
      AddedMembers added,
      Supplier<Optional<CorruptionCheckResult>> corruptionCheck) {
    this.calls = calls;
    this.cluster = cluster;
    this.raft = raft;
    this.peers = peers;
    this.added = added;
    this.corruptionCheck = corruptionCheck;
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
    Optional<AimStateMachine.Halt> halted = raft.stateMachine().halted();
    if (halted.isPresent()) {
      // its Raft server and store closed with the apply thread: only the halt is known
      return StatusResponse.newBuilder()
          .setHeader(calls.headers().at(halted.get().revision()))
          .setVersion(VERSION)
          .setMaxFormatVersion(raft.stateMachine().clusterVersion().selfMax())
          .setHalted(halted.get().reason())
          .setRole("HALTED")
          .setRaftAppliedIndex(halted.get().appliedIndex())
          .build();
    }
    StatusResponse.Builder b =
        raft.stateMachine()
            .read(
                s ->
                    StatusResponse.newBuilder()
                        .setHeader(calls.headers().at(s.revision()))
                        .setDbSize(s.sizeBytes())
                        .setCompactRevision(s.compactRevision())
                        .addAllAlarms(s.alarms().list()));
    b.setMaxFormatVersion(raft.stateMachine().clusterVersion().selfMax());
    if (raft.isLeader()) {
      try {
        b.setClusterVersion(
            raft.stateMachine().clusterVersion().of(raft.stateMachine().configurationMembers()));
      } catch (IOException e) {
        throw new StoreUnavailableException("no Raft configuration: " + e.getMessage());
      }
    }
    String leader = raft.leader().orElse("");
    corruptionCheck.get().ifPresent(b::setCorruptionCheck);
    return b.setVersion(VERSION)
        .setLeader(leader.isEmpty() ? 0 : cluster.memberId(leader))
        .setLeaderName(leader)
        .setRaftTerm(raft.term())
        .setRaftAppliedIndex(raft.appliedIndex())
        .setRaftCommitIndex(raft.commitIndex())
        .setRole(raft.role())
        .setQuotaBytes(raft.stateMachine().quotaBytes())
        .addAllMembers(members())
        .build();
  }

  @Override
  public void memberList(MemberListRequest req, StreamObserver<MemberListResponse> obs) {
    if (req.getFromLeader()
        && calls
            .router()
            .forwardedUnlessLeader(obs, ch -> ClusterGrpc.newStub(ch).memberList(req, obs))) {
      return;
    }
    Replies.run(
        () ->
            CompletableFuture.completedFuture(
                MemberListResponse.newBuilder()
                    .setHeader(calls.headers().at(raft.stateMachine().read(s -> s.revision())))
                    .addAllMembers(members())
                    .build()),
        obs);
  }

  @Override
  public void memberAdd(MemberAddRequest req, StreamObserver<MemberChangeResponse> obs) {
    if (refusedOrForwarded(
        "add a member", obs, ch -> ClusterGrpc.newStub(ch).memberAdd(req, obs))) {
      return;
    }
    Replies.run(
        () -> {
          RaftMembership.Change change =
              raft.membership().planAdd(req.getName(), req.getRaftAddress());
          MemberRecord record =
              MemberRecord.newBuilder()
                  .setName(req.getName())
                  .setRaftAddress(req.getRaftAddress())
                  .setClientAddress(req.getClientAddress())
                  .setMetricsAddress(req.getMetricsAddress())
                  .setManualPromote(req.getManualPromote())
                  .build();
          return audited(
              MemberChange.newBuilder().setPut(record).setReason(req.getReason()), change);
        },
        obs);
  }

  @Override
  public void memberRemove(MemberRemoveRequest req, StreamObserver<MemberChangeResponse> obs) {
    if (refusedOrForwarded(
        "remove a member", obs, ch -> ClusterGrpc.newStub(ch).memberRemove(req, obs))) {
      return;
    }
    Replies.run(
        () -> {
          if (!raft.membership().contains(req.getName())
              && !added.get().containsKey(req.getName())) {
            throw StoreException.notFound(
                "no member named "
                    + req.getName()
                    + "; members are "
                    + raft.members().stream().map(MemberInfo::name).toList());
          }
          RaftMembership.Change change = raft.membership().planRemove(req.getName());
          return audited(
              MemberChange.newBuilder().setRemove(req.getName()).setReason(req.getReason()),
              change);
        },
        obs);
  }

  @Override
  public void memberPromote(MemberPromoteRequest req, StreamObserver<MemberChangeResponse> obs) {
    if (refusedOrForwarded(
        "promote a member", obs, ch -> ClusterGrpc.newStub(ch).memberPromote(req, obs))) {
      return;
    }
    Replies.run(
        () -> {
          RaftMembership.Change change =
              raft.membership()
                  .planPromote(
                      req.getName(),
                      Optional.ofNullable(added.get().get(req.getName()))
                          .map(MemberEndpoints::raft));
          return audited(
              MemberChange.newBuilder().setPromote(req.getName()).setReason(req.getReason()),
              change);
        },
        obs);
  }

  @Override
  public void memberTransferLeader(
      MemberTransferLeaderRequest req, StreamObserver<MemberChangeResponse> obs) {
    if (refusedOrForwarded(
        "move the leadership", obs, ch -> ClusterGrpc.newStub(ch).memberTransferLeader(req, obs))) {
      return;
    }
    Replies.run(
        () -> {
          RaftMembership.Change change = raft.membership().planTransferLeadership(req.getName());
          return audited(
              MemberChange.newBuilder().setTransferLeader(req.getName()).setReason(req.getReason()),
              change);
        },
        obs);
  }

  /**
   * Refuses a non-admin here, whoever leads (PERMISSION_DENIED); forwards the call to the leader
   * unless this member leads. False: run the call here.
   */
  private <T> boolean refusedOrForwarded(
      String what, StreamObserver<T> obs, Consumer<Channel> forward) {
    try {
      calls.guard().access().requireAdmin(what);
    } catch (RuntimeException e) {
      obs.onError(GrpcErrors.toStatus(e));
      return true;
    }
    return calls.router().forwardedUnlessLeader(obs, forward);
  }

  /**
   * Writes the change's audit record (and the member's record) through the log, then changes the
   * Raft configuration as planned. If the configuration changed in between, the change fails with
   * ABORTED and the audit record stays: it records what was asked, by whom and why.
   */
  private CompletableFuture<MemberChangeResponse> audited(
      MemberChange.Builder c, RaftMembership.Change change) {
    return calls
        .writes()
        .submit(Command.newBuilder().setMemberChange(c))
        .thenCompose(
            r -> {
              if (r.hasError()) {
                throw StoreException.of(r.getError());
              }
              return change
                  .commit()
                  .thenApply(
                      ok ->
                          MemberChangeResponse.newBuilder()
                              .setHeader(calls.headers().at(r.getRevision()))
                              .addAllMembers(members())
                              .setAudit(r.getMemberChange())
                              .build());
            });
  }

  private List<Member> members() {
    List<Member> out = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (MemberInfo m : raft.members()) {
      Member.Builder b =
          Member.newBuilder()
              .setId(cluster.memberId(m.name()))
              .setName(m.name())
              .setPeerAddress(m.raftAddress())
              .setIsLeader(m.role().equals("LEADER"))
              .setRole(m.role())
              .setAutoPromote(m.role().equals("LISTENER") && added.autoPromote(m.name()));
      if (m.hasReplication()) {
        b.setMatchIndex(m.matchIndex()).setLag(m.lag()).setLastContactMs(m.lastContactMs());
      }
      cluster
          .member(m.name())
          .ifPresent(e -> b.setClientAddress(e.client()).setMetricsAddress(e.metrics()));
      out.add(b.build());
      listed.add(m.name());
    }
    // added with MemberAdd, but the configuration change did not happen (yet)
    for (MemberEndpoints e : added.get().values()) {
      if (!listed.contains(e.name())) {
        out.add(
            Member.newBuilder()
                .setId(cluster.memberId(e.name()))
                .setName(e.name())
                .setPeerAddress(e.raft())
                .setClientAddress(e.client())
                .setMetricsAddress(e.metrics())
                .setRole("PENDING")
                .setAutoPromote(added.autoPromote(e.name()))
                .build());
      }
    }
    return out;
  }
}
