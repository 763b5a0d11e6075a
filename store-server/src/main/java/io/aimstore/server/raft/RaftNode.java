package io.aimstore.server.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.aimstore.internal.EntryResult;
import io.aimstore.internal.LogEntry;
import io.aimstore.internal.ProposalId;
import io.aimstore.server.storage.DamagedFileException;
import io.aimstore.server.threads.DaemonThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * One member of the Raft group: the Ratis server around an {@link AimStateMachine}, plus the two
 * ways the rest of the member talks to Raft — {@link #propose} a log entry and wait for its
 * results, and {@link #readBarrier} before a linearizable read.
 *
 * <p>A proposal on the leader is submitted to the local Ratis server directly; on a follower, or
 * when the local server answers "not leader", it is forwarded to the leader by a Ratis client,
 * which follows leader changes and retries. A proposal can therefore reach the log twice (a leader
 * that steps down answers "not leader" even for entries it replicated); each carries a unique
 * {@code ProposalId} and apply skips the second copy, so it takes effect once.
 */
public final class RaftNode implements AutoCloseable {
  /** How many times a forwarded proposal is sent before the proposer gives up. */
  static final int FORWARD_ATTEMPTS = 40;

  private final String selfName;
  private final RaftGroup group;
  private final Path raftDir;
  private final RaftServer server;
  private final RaftClient forwarder;
  private final AimStateMachine stateMachine;
  private final RaftMembership membership;
  private final ClientId localClientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();

  /** With {@link #proposalSequence}, names each proposal uniquely (see {@code ProposalId}). */
  private final long proposalOrigin = new SecureRandom().nextLong();

  private final AtomicLong proposalSequence = new AtomicLong();
  private final long requestTimeoutMs;
  private final ReadBarriers readBarriers = new ReadBarriers(this::readIndexRound);

  /**
   * Starts ReadIndex rounds. A round often starts from the completion of the previous one, which
   * Ratis runs on its StateMachineUpdater thread while holding its read-index queue's lock;
   * starting the next round right there blocks (submitClientRequestAsync joins a task that needs
   * that lock) and stops this member from applying anything ever again. So rounds start on this
   * thread.
   */
  private final ExecutorService readIndexExecutor =
      Executors.newSingleThreadExecutor(DaemonThreads.named("raft-read-index"));

  private final ExecutorService forwardExecutor =
      Executors.newFixedThreadPool(8, DaemonThreads.named("raft-forward"));

  /**
   * @param clusterName names the Raft group: members of one cluster share it (a restored cluster's
   *     name carries the restore's token, so it is a group of its own)
   * @param selfName this member's name
   * @param raftAddresses every member's name → Raft host:port, in a fixed order
   * @param raftDir where Ratis keeps its log and snapshots
   * @param tls mutual TLS between members; null for plaintext (insecure development clusters)
   * @param join this member joins a running cluster: on its first start it knows no configuration
   *     and waits for the leader to add it (as a listener); {@code raftAddresses} then name the
   *     members to reach (itself included). Once it has a Raft log, the configuration in its log
   *     wins either way.
   */
  public RaftNode(
      String clusterName,
      String selfName,
      Map<String, String> raftAddresses,
      Path raftDir,
      AimStateMachine stateMachine,
      RaftSettings settings,
      RaftTls tls,
      boolean join)
      throws IOException {
    this.selfName = selfName;
    this.raftDir = raftDir;
    this.stateMachine = stateMachine;
    this.requestTimeoutMs = settings.requestTimeout().toMillis();
    List<RaftPeer> peers = new ArrayList<>();
    raftAddresses.forEach(
        (name, address) ->
            peers.add(RaftPeer.newBuilder().setId(name).setAddress(address).build()));
    this.group = RaftGroup.valueOf(groupId(clusterName), peers);

    String self = raftAddresses.get(selfName);
    int colon = self.lastIndexOf(':');
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
    GrpcConfigKeys.Server.setHost(p, self.substring(0, colon));
    GrpcConfigKeys.Server.setPort(p, Integer.parseInt(self.substring(colon + 1)));
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(settings.electionTimeoutMin().toMillis()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(settings.electionTimeoutMax().toMillis()));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, ms(settings.requestTimeout().toMillis()));
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // The leader answers ReadIndex from its lease (acks from a majority within 90% of the minimum
    // election timeout, on a monotonic clock) instead of a heartbeat round; a paused leader's lease
    // has run out when it wakes, so it falls back to the round.
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
    RaftServerConfigKeys.Read.setTimeout(p, ms(settings.requestTimeout().toMillis()));
    // The commit index is volatile state in Raft; persisting it costs a second fsync per commit.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, settings.snapshotThreshold());
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // Keep one snapshot interval of log before the snapshot index. A member restarted just after
    // its own snapshot asks for the entries after that index; without the margin the leader may
    // have purged them while its latest snapshot is newer, and Ratis 3.2.2's log appender then
    // dies ("Previous TermIndex not found", found by the chaos suite) and sends nothing to that
    // member until the next election. With it, the member catches up from the log, no snapshot
    // transfer needed.
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, settings.snapshotThreshold());
    RaftServerConfigKeys.Log.setPurgeGap(p, settings.purgeGap());
    // How long the leader waits for a member being added to answer before the change fails (Ratis'
    // default, 3 election timeouts, is shorter than a JVM's start on a busy host).
    RaftServerConfigKeys.setStagingTimeout(p, TimeDuration.valueOf(15, TimeUnit.SECONDS));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(settings.logSegmentBytes()));
    RaftServerConfigKeys.Log.setPreallocatedSize(
        p, SizeInBytes.valueOf(Math.min(settings.logSegmentBytes(), 4L << 20)));

    Parameters parameters = new Parameters();
    if (tls != null) {
      GrpcTlsConfig conf = new GrpcTlsConfig(tls.keyManager(), tls.trustManager(), true);
      GrpcConfigKeys.TLS.setConf(parameters, conf);
      GrpcConfigKeys.Server.setTlsConf(parameters, conf);
      GrpcConfigKeys.Admin.setTlsConf(parameters, conf);
      GrpcConfigKeys.Client.setTlsConf(parameters, conf);
    }
    this.server =
        RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(selfName))
            // A joining member starts with an empty configuration: it never campaigns, and the
            // leader's first append (or snapshot) gives it the group's configuration.
            .setGroup(join ? RaftGroup.valueOf(group.getGroupId()) : group)
            .setStateMachine(stateMachine)
            .setProperties(p)
            .setParameters(parameters)
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();

    this.membership =
        new RaftMembership(
            server, group.getGroupId(), this::division, settings.requestTimeout().toMillis() * 4);

    RaftProperties cp = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(cp, ms(settings.requestTimeout().toMillis()));
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(cp, 4096);
    this.forwarder =
        RaftClient.newBuilder()
            .setProperties(cp)
            .setParameters(parameters)
            .setRaftGroup(group)
            .setRetryPolicy(
                // Bounded: a forwarded proposal must not be sent again long after its first copy
                // (see core.AppliedProposals.WINDOW); 40 attempts 250 ms apart span an election,
                // even on a
                // loaded host (no entry is appended while there is no leader).
                RetryPolicies.retryUpToMaximumCountWithFixedSleep(FORWARD_ATTEMPTS, ms(250)))
            .build();
  }

  /** The Raft group id of a cluster: the same on every member, different between clusters. */
  public static RaftGroupId groupId(String clusterName) {
    return RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes(("aimstore:" + clusterName).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Starts the Ratis server, after checking the checksums of the snapshot it would start from and
   * of every Raft log entry ({@link RaftLogCheck}).
   *
   * @throws DamagedFileException when a file of that snapshot, a log segment or a RocksDB file is
   *     damaged (nothing started)
   */
  public void start() throws IOException {
    Path groupDir = raftDir.resolve(group.getGroupId().getUuid().toString());
    java.util.Optional<Path> latest = SnapshotDirectory.latestIn(groupDir.resolve("sm"));
    if (latest.isPresent()) {
      SnapshotChecksums.verify(latest.get());
    }
    RaftLogCheck.verify(groupDir.resolve("current"));
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      // a damaged RocksDB file is found while the state machine opens the store, inside Ratis
      DamagedFileException damaged = DamagedFileException.in(e);
      if (damaged != null) {
        throw damaged;
      }
      throw e;
    }
  }

  public AimStateMachine stateMachine() {
    return stateMachine;
  }

  public String selfName() {
    return selfName;
  }

  /** Outcome of a committed log entry: its per-command results and its log index. */
  public record Proposal(EntryResult result, long logIndex) {}

  /**
   * Replicates {@code entry} and completes once the leader has applied it. Fails with {@link
   * ReplicationException}.
   */
  public CompletableFuture<Proposal> propose(LogEntry entry) {
    LogEntry named =
        entry.toBuilder()
            .setProposalId(
                ProposalId.newBuilder()
                    .setOrigin(proposalOrigin)
                    .setSequence(proposalSequence.incrementAndGet()))
            .build();
    Message msg = Message.valueOf(UnsafeByteOperations.unsafeWrap(named.toByteArray()));
    if (!isLeader()) {
      return forward(msg);
    }
    RaftClientRequest request = request(msg, RaftClientRequest.writeRequestType());
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new ReplicationException("member " + selfName + " is not running", false, e));
    }
    return reply
        .handle((r, err) -> r)
        .thenCompose(
            r -> {
              if (r != null
                  && (r.getNotLeaderException() != null
                      || r.getLeaderNotReadyException() != null
                      || r.getLeaderSteppingDownException() != null)) {
                // Also the answer of a leader that stepped down after replicating the entry: the
                // next leader may commit it, and apply skips the forwarded copy (same proposal id).
                return forward(msg);
              }
              return CompletableFuture.completedFuture(toProposal(r, null));
            });
  }

  /**
   * Sends a proposal to the leader through the Ratis client's blocking API, on a small pool: its
   * calls are unordered (the ordered async API serializes every request behind the previous one).
   */
  private CompletableFuture<Proposal> forward(Message msg) {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return forwarder.io().send(msg);
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            },
            forwardExecutor)
        .handle(this::toProposal);
  }

  /**
   * The outcome of a proposal from its reply. Every failure counts as "may have been applied"
   * ({@link ReplicationException#proposed()}): the reply may come after retries, and an earlier
   * attempt may have been replicated by a leader that stepped down.
   */
  private Proposal toProposal(RaftClientReply reply, Throwable err) {
    if (err != null) {
      Throwable cause =
          err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      throw new ReplicationException(
          "no reply from the Raft leader (" + brief(cause) + "; is there a quorum?)", true, cause);
    }
    if (reply == null) {
      throw new ReplicationException("no reply from the Raft leader", true, null);
    }
    if (!reply.isSuccess()) {
      RaftException e = reply.getException();
      throw new ReplicationException(
          "proposal failed (" + (e == null ? "unknown error" : brief(e)) + ")", true, e);
    }
    EntryResult result;
    try {
      result = EntryResult.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable entry result", e);
    }
    if (result.getDuplicateOf() != 0) {
      throw new ReplicationException(
          "the outcome of this write is not known here: a leader change put it in the log twice"
              + " and its first copy (log index "
              + result.getDuplicateOf()
              + ") was applied before this member last started",
          true,
          null);
    }
    return new Proposal(result, reply.getLogIndex());
  }

  /**
   * Completes when this member has applied everything committed before the call (ReadIndex): a read
   * from the local store after that is linearizable. Concurrent reads share rounds.
   */
  public CompletableFuture<Void> readBarrier() {
    return readBarriers.await();
  }

  /** One ReadIndex round through the local Ratis server. */
  private CompletableFuture<Void> readIndexRound() {
    CompletableFuture<RaftClientReply> reply;
    try {
      reply =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return server.submitClientRequestAsync(
                          request(Message.EMPTY, RaftClientRequest.readRequestType()));
                    } catch (IOException e) {
                      throw new CompletionException(
                          new ReplicationException(
                              "member " + selfName + " is not running", false, e));
                    }
                  },
                  readIndexExecutor)
              .thenCompose(f -> f);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new ReplicationException("member " + selfName + " is not running", false, e));
    }
    return reply
        .orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS)
        .handle(
            (r, err) -> {
              if (err != null || !r.isSuccess()) {
                String why = brief(err != null ? err : r.getException());
                throw new ReplicationException(
                    "linearizable read failed on "
                        + selfName
                        + ": "
                        + why
                        + " (is there a leader?)",
                    false,
                    err);
              }
              return null;
            });
  }

  /**
   * A failure in a few words for a client's message ("timed out", "NotLeader"): Ratis' own text
   * names internal request ids and retry policies; the full exception stays the cause, for logs.
   */
  static String brief(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t == null) {
      return "unknown error";
    }
    if (t instanceof TimeoutException) {
      return "timed out";
    }
    String name = t.getClass().getSimpleName();
    return name.endsWith("Exception") ? name.substring(0, name.length() - 9) : name;
  }

  private RaftClientRequest request(Message msg, RaftClientRequest.Type type) {
    return RaftClientRequest.newBuilder()
        .setClientId(localClientId)
        .setServerId(server.getId())
        .setGroupId(group.getGroupId())
        .setCallId(callIds.incrementAndGet())
        .setMessage(msg)
        .setType(type)
        .setTimeoutMs(requestTimeoutMs)
        .build();
  }

  private RaftServer.Division division() {
    try {
      return server.getDivision(group.getGroupId());
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "member " + selfName + " has no Raft group: " + e.getMessage());
    }
  }

  /**
   * Whether this member's Raft server still runs. It stops by itself when it cannot go on safely —
   * e.g. its disk is full and an entry could not be written or applied — and then only a restart
   * brings the member back (docs/operations.md#full-disk).
   */
  public boolean isRunning() {
    try {
      return division().getInfo().isAlive();
    } catch (RuntimeException e) {
      return false;
    }
  }

  public boolean isLeader() {
    try {
      return division().getInfo().isLeader();
    } catch (StoreUnavailableException e) {
      return false;
    }
  }

  /** The leader's name as this member sees it. */
  public Optional<String> leader() {
    RaftPeerId id = division().getInfo().getLeaderId();
    return id == null ? Optional.empty() : Optional.of(id.toString());
  }

  public String role() {
    return division().getInfo().getCurrentRole().name();
  }

  public long term() {
    return division().getInfo().getCurrentTerm();
  }

  public long commitIndex() {
    return division().getRaftLog().getLastCommittedIndex();
  }

  public long appliedIndex() {
    return division().getInfo().getLastAppliedIndex();
  }

  /** Voting members and listeners, in configuration order (see {@link RaftMembership#members}). */
  public List<MemberInfo> members() {
    return membership.members();
  }

  /** The Raft configuration and the leader's changes to it. */
  public RaftMembership membership() {
    return membership;
  }

  /** Takes a snapshot now (tests and operators); returns its log index. */
  public long snapshotNow() throws IOException {
    return forwarder.getSnapshotManagementApi(server.getId()).create(true, 30_000).getLogIndex();
  }

  @Override
  public void close() throws IOException {
    forwardExecutor.shutdownNow();
    readIndexExecutor.shutdownNow();
    membership.close();
    try {
      forwarder.close();
    } finally {
      server.close();
    }
  }

  private static TimeDuration ms(long millis) {
    return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
  }
}
