package io.aimstore.server.raft;

import io.aimstore.internal.ErrorCode;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.threads.DaemonThreads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
import org.apache.ratis.protocol.exceptions.ReconfigurationTimeoutException;
import org.apache.ratis.protocol.exceptions.SetConfigurationException;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;

/**
 * The Raft configuration — who votes, who only listens — and the leader's changes to it, through
 * Ratis' setConfiguration on the local server. Every change here must be called on the leader (the
 * api layer forwards membership calls there); each compares against the configuration it read
 * (Ratis' COMPARE_AND_SET), so two changes racing cannot undo one another.
 *
 * <p>A new member joins as a listener: Ratis' leader first brings it within its staging gap of the
 * log (by snapshot and log), then commits the configuration that lists it. It votes once promoted
 * ({@link #promote}), which is allowed when its match index is within {@link #PROMOTE_LAG} entries
 * of the leader's commit index.
 */
public final class RaftMembership {
  /** A listener may be promoted when it lacks at most this many committed entries. */
  public static final long PROMOTE_LAG = 100;

  private final RaftServer server;
  private final RaftGroupId groupId;
  private final Supplier<RaftServer.Division> division;
  private final long transferTimeoutMs;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(DaemonThreads.named("raft-membership"));

  RaftMembership(
      RaftServer server,
      RaftGroupId groupId,
      Supplier<RaftServer.Division> division,
      long transferTimeoutMs) {
    this.server = server;
    this.groupId = groupId;
    this.division = division;
    this.transferTimeoutMs = transferTimeoutMs;
  }

  /**
   * Voting members and listeners, in configuration order; with match index, lag and last contact
   * when this member leads.
   */
  public List<MemberInfo> members() {
    RaftServer.Division d = division.get();
    RaftPeerId leader = d.getInfo().getLeaderId();
    RaftConfiguration conf = d.getRaftConf();
    Map<String, long[]> replication = d.getInfo().isLeader() ? replication(d) : Map.of();
    long commit = d.getRaftLog().getLastCommittedIndex();
    Map<String, MemberInfo> out = new LinkedHashMap<>();
    for (RaftPeer peer : conf.getCurrentPeers(RaftPeerRole.FOLLOWER)) {
      String role = peer.getId().equals(leader) ? "LEADER" : "FOLLOWER";
      out.put(peer.getId().toString(), info(peer, role, replication, commit));
    }
    for (RaftPeer peer : conf.getCurrentPeers(RaftPeerRole.LISTENER)) {
      out.putIfAbsent(peer.getId().toString(), info(peer, "LISTENER", replication, commit));
    }
    return new ArrayList<>(out.values());
  }

  private static MemberInfo info(
      RaftPeer peer, String role, Map<String, long[]> replication, long commit) {
    long[] r = replication.get(peer.getId().toString());
    if (r == null) {
      return new MemberInfo(peer.getId().toString(), peer.getAddress(), role, -1, -1, -1);
    }
    return new MemberInfo(
        peer.getId().toString(), peer.getAddress(), role, r[0], Math.max(0, commit - r[0]), r[1]);
  }

  /**
   * The leader's view: name → {match index, ms since last response}, the leader itself included.
   * Ratis gives peers and match indexes in two calls over the same list of log appenders; when the
   * list changes in between (a configuration change), the views are read again.
   */
  private static Map<String, long[]> replication(RaftServer.Division d) {
    for (int attempt = 0; attempt < 3; attempt++) {
      RoleInfoProto role = d.getInfo().getRoleInfoProto();
      long[] match = d.getInfo().getFollowerMatchIndices();
      if (!role.hasLeaderInfo()) {
        return Map.of();
      }
      List<ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
      if (followers.size() != match.length) {
        continue;
      }
      Map<String, long[]> out = new LinkedHashMap<>();
      for (int i = 0; i < match.length; i++) {
        ServerRpcProto f = followers.get(i);
        out.put(
            f.getId().getId().toStringUtf8(), new long[] {match[i], f.getLastRpcElapsedTimeMs()});
      }
      out.put(d.getId().toString(), new long[] {d.getRaftLog().getFlushIndex(), 0});
      return out;
    }
    return Map.of();
  }

  /** The member named {@code name} in the current configuration, voter or listener. */
  public Optional<MemberInfo> member(String name) {
    return members().stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /**
   * A change checked against the configuration it was planned on; {@link #commit} applies it if
   * that configuration is still current (ABORTED otherwise) and completes once the new one is
   * committed.
   */
  public interface Change {
    CompletableFuture<Void> commit();
  }

  /** Adds {@code name} as a listener. */
  public Change planAdd(String name, String raftAddress) {
    Conf c = stableConf();
    if (c.contains(name)) {
      throw error(ErrorCode.ALREADY_EXISTS, "member " + name + " is already in the configuration");
    }
    for (RaftPeer p : c.all()) {
      if (p.getAddress().equals(raftAddress)) {
        throw error(
            ErrorCode.FAILED_PRECONDITION,
            "raft address " + raftAddress + " is already member " + p.getId() + "'s");
      }
    }
    List<RaftPeer> listeners = new ArrayList<>(c.listeners());
    listeners.add(
        RaftPeer.newBuilder()
            .setId(name)
            .setAddress(raftAddress)
            .setStartupRole(RaftPeerRole.LISTENER)
            .build());
    return change(c, c.voters(), listeners, "add " + name);
  }

  /**
   * Makes listener {@code name} a voter; it must lack at most {@link #PROMOTE_LAG} entries. A
   * member that is in no configuration (its promotion was cut short, see below) is added as a voter
   * at {@code pendingRaftAddress}, after Ratis' staging has brought it up to date.
   *
   * <p>Two configuration changes, because of Ratis 3.2.2: its leader marks a member "caught up"
   * only when staging ends with the member a voter, never a listener, and moving a listener to the
   * voters does not stage it again. A member never marked caught up is sent every append as
   * "initializing" and stays in Ratis' STARTING state: it refuses reads (ServerNotReady) and never
   * campaigns, until the next leader change. So the listener first leaves the configuration and
   * then joins it as a voter through staging — quick, since it has the log already.
   */
  public Change planPromote(String name, Optional<String> pendingRaftAddress) {
    Conf c = stableConf();
    RaftPeer peer = c.listener(name).orElse(null);
    if (peer == null) {
      if (c.voter(name).isPresent()) {
        throw error(ErrorCode.FAILED_PRECONDITION, "member " + name + " already votes");
      }
      if (pendingRaftAddress.isEmpty()) {
        throw notFound(name, c);
      }
      RaftPeer voter =
          RaftPeer.newBuilder().setId(name).setAddress(pendingRaftAddress.get()).build();
      return () -> addVoter(voter, "promote " + name);
    }
    MemberInfo m = member(name).orElseThrow(() -> notFound(name, c));
    if (!m.hasReplication() || m.lag() > PROMOTE_LAG) {
      throw error(
          ErrorCode.FAILED_PRECONDITION,
          "member "
              + name
              + " has not caught up ("
              + (m.hasReplication() ? m.lag() + " entries behind" : "no replication state yet")
              + "; it may vote once it lacks at most "
              + PROMOTE_LAG
              + "); wait and retry");
    }
    List<RaftPeer> listeners = new ArrayList<>(c.listeners());
    listeners.removeIf(p -> p.getId().toString().equals(name));
    RaftPeer voter = RaftPeer.newBuilder().setId(name).setAddress(peer.getAddress()).build();
    return () ->
        setConfiguration(c, c.voters(), listeners, "promote " + name + " (leave the listeners)")
            .thenCompose(v -> addVoter(voter, "promote " + name));
  }

  /**
   * Adds {@code voter} (in no configuration now) to the voters, retrying for a moment while the
   * previous change is still settling.
   */
  private CompletableFuture<Void> addVoter(RaftPeer voter, String what) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    addVoter(voter, what, 20, result);
    return result;
  }

  private void addVoter(RaftPeer voter, String what, int attempts, CompletableFuture<Void> result) {
    CompletableFuture<Void> attempt;
    try {
      Conf c = stableConf();
      if (c.contains(voter.getId().toString())) {
        throw error(ErrorCode.ABORTED, voter.getId() + " was added meanwhile; see the member list");
      }
      List<RaftPeer> voters = new ArrayList<>(c.voters());
      voters.add(voter);
      attempt = setConfiguration(c, voters, c.listeners(), what);
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete(
        (ok, err) -> {
          if (err == null) {
            result.complete(null);
          } else if (attempts > 1 && isAborted(err)) {
            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS, executor)
                .execute(() -> addVoter(voter, what, attempts - 1, result));
          } else {
            result.completeExceptionally(err);
          }
        });
  }

  private static boolean isAborted(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof StoreException s && s.code() == ErrorCode.ABORTED;
  }

  /**
   * Removes {@code name}, voter or listener; nothing to do if it is not in the configuration. Not
   * the leader itself (transfer leadership first), and never the last voter.
   */
  public Change planRemove(String name) {
    Conf c = stableConf();
    if (!c.contains(name)) {
      return () -> CompletableFuture.completedFuture(null);
    }
    if (name.equals(server.getId().toString())) {
      throw error(
          ErrorCode.FAILED_PRECONDITION,
          "member "
              + name
              + " leads: move the leadership first (aimctl member transfer-leader OTHER), then"
              + " remove it");
    }
    List<RaftPeer> voters = new ArrayList<>(c.voters());
    voters.removeIf(p -> p.getId().toString().equals(name));
    List<RaftPeer> listeners = new ArrayList<>(c.listeners());
    listeners.removeIf(p -> p.getId().toString().equals(name));
    if (voters.isEmpty()) {
      throw error(ErrorCode.FAILED_PRECONDITION, "member " + name + " is the last voter");
    }
    return change(c, voters, listeners, "remove " + name);
  }

  /** Whether {@code name} is in the configuration, voter or listener. */
  public boolean contains(String name) {
    if (name.isBlank()) {
      return false;
    }
    RaftConfiguration conf = division.get().getRaftConf();
    return conf.getPeer(RaftPeerId.valueOf(name), RaftPeerRole.FOLLOWER, RaftPeerRole.LISTENER)
        != null;
  }

  /** Makes voter {@code name} the leader; the change completes when it leads. */
  public Change planTransferLeadership(String name) {
    Conf c = stableConf();
    if (c.voter(name).isEmpty()) {
      if (c.listener(name).isPresent()) {
        throw error(
            ErrorCode.FAILED_PRECONDITION,
            "member " + name + " is a listener and cannot lead; promote it first");
      }
      throw notFound(name, c);
    }
    if (name.equals(server.getId().toString())) {
      return () -> CompletableFuture.completedFuture(null);
    }
    return () -> transfer(name);
  }

  private CompletableFuture<Void> transfer(String name) {
    TransferLeadershipRequest req =
        new TransferLeadershipRequest(
            clientId,
            server.getId(),
            groupId,
            callIds.incrementAndGet(),
            RaftPeerId.valueOf(name),
            transferTimeoutMs);
    return offRatisThreads(
        () -> server.transferLeadershipAsync(req), "transfer leadership to " + name);
  }

  /**
   * Calls Ratis on this class's thread and completes there too. Ratis completes a configuration
   * change on its leader's event thread while holding the server's lock, and its admin calls wait
   * for the server's executor: a next change started right in that completion (a promotion's second
   * step), or from the apply thread, would deadlock.
   */
  private CompletableFuture<Void> offRatisThreads(RatisCall call, String what) {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return call.start();
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            },
            executor)
        .thenCompose(f -> f)
        .handleAsync((reply, err) -> check(reply, err, what), executor);
  }

  private interface RatisCall {
    CompletableFuture<RaftClientReply> start() throws IOException;
  }

  /** Stops the thread changes run on. */
  void close() {
    executor.shutdownNow();
  }

  private Change change(
      Conf current, List<RaftPeer> voters, List<RaftPeer> listeners, String what) {
    return () -> setConfiguration(current, voters, listeners, what);
  }

  private CompletableFuture<Void> setConfiguration(
      Conf current, List<RaftPeer> voters, List<RaftPeer> listeners, String what) {
    SetConfigurationRequest req =
        new SetConfigurationRequest(
            clientId,
            server.getId(),
            groupId,
            callIds.incrementAndGet(),
            SetConfigurationRequest.Arguments.newBuilder()
                .setServersInCurrentConf(current.voters())
                .setListenersInCurrentConf(current.listeners())
                .setServersInNewConf(voters)
                .setListenersInNewConf(listeners)
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .build());
    return offRatisThreads(() -> server.setConfigurationAsync(req), what);
  }

  private static Void check(RaftClientReply reply, Throwable err, String what) {
    Throwable e = err;
    if (e == null && reply != null && !reply.isSuccess()) {
      e = reply.getException();
    }
    if (e == null && reply == null) {
      e = new IOException("no reply");
    }
    if (e != null) {
      throw mapped(e, what);
    }
    return null;
  }

  /** A Ratis failure as the status a client can act on. */
  private static RuntimeException mapped(Throwable t, String what) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof StoreException s) {
      return s;
    }
    if (t instanceof ReconfigurationInProgressException) {
      return error(
          ErrorCode.ABORTED,
          "cannot " + what + ": another membership change is in progress; retry when it is done");
    }
    if (t instanceof SetConfigurationException) {
      return error(
          ErrorCode.ABORTED,
          "cannot " + what + ": the configuration changed meanwhile (" + t.getMessage() + ")");
    }
    if (t instanceof ReconfigurationTimeoutException) {
      return error(
          ErrorCode.FAILED_PRECONDITION,
          "cannot "
              + what
              + ": the new member did not answer the leader or catch up in time. Start it first"
              + " (with join = true) and check that it can reach the other members' Raft ports");
    }
    if (t instanceof NotLeaderException) {
      return new ReplicationException(
          "cannot " + what + ": this member stopped leading; retry", false, t);
    }
    return new ReplicationException(
        "cannot " + what + ": " + RaftNode.brief(t) + " (" + t.getMessage() + ")", false, t);
  }

  private static StoreException error(ErrorCode code, String message) {
    return new StoreException(code, message);
  }

  private static StoreException notFound(String name, Conf c) {
    List<String> names = new ArrayList<>();
    c.all().forEach(p -> names.add(p.getId().toString()));
    return error(
        ErrorCode.NOT_FOUND,
        "no member named " + name + " in the configuration; members are " + names);
  }

  /** The current configuration; fails unless it is stable (no change in progress). */
  private Conf stableConf() {
    RaftServer.Division d = division.get();
    if (!d.getInfo().isLeader()) {
      throw new ReplicationException("membership changes go to the leader; retry", false, null);
    }
    RaftConfiguration conf = d.getRaftConf();
    if (!conf.getPreviousPeers().isEmpty()
        || !conf.getPreviousPeers(RaftPeerRole.LISTENER).isEmpty()) {
      throw error(
          ErrorCode.ABORTED, "another membership change is in progress; retry when it is done");
    }
    return new Conf(
        List.copyOf(conf.getAllPeers(RaftPeerRole.FOLLOWER)),
        List.copyOf(conf.getAllPeers(RaftPeerRole.LISTENER)));
  }

  private record Conf(List<RaftPeer> voters, List<RaftPeer> listeners) {
    List<RaftPeer> all() {
      List<RaftPeer> out = new ArrayList<>(voters);
      out.addAll(listeners);
      return out;
    }

    boolean contains(String name) {
      return voter(name).isPresent() || listener(name).isPresent();
    }

    Optional<RaftPeer> voter(String name) {
      return voters.stream().filter(p -> p.getId().toString().equals(name)).findFirst();
    }

    Optional<RaftPeer> listener(String name) {
      return listeners.stream().filter(p -> p.getId().toString().equals(name)).findFirst();
    }
  }
}
