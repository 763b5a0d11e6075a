package io.aimstore.server.raft;

import io.aimstore.internal.LogEntry;
import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.Limits;
import io.aimstore.server.core.Store;
import io.aimstore.server.storage.RocksBackend;
import io.aimstore.server.storage.StorageOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis adapter around the {@link Store}: decodes log entries, applies them, and keeps
 * snapshots. The only class that is a Ratis {@code StateMachine}.
 *
 * <p>The store lives in {@code kvDir}, outside Ratis' state-machine directory (which snapshot
 * installation replaces). Every applied entry records its index in the store, so after a crash
 * Ratis replays from the latest snapshot and the store skips what it already has.
 *
 * <p>Life cycle: NEW → RUNNING on {@link #initialize}; RUNNING → PAUSED when Ratis is about to
 * install a snapshot; PAUSED → RUNNING in {@link #reinitialize}, which replaces the store with the
 * installed checkpoint.
 */
public final class AimStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(AimStateMachine.class);

  private final LongConsumer applyNanos;
  private final LongSupplier wallClockMs;
  private final Path kvDir;
  private final StorageOptions storageOptions;
  private final Limits limits;
  private final SnapshotDirectory snapshots = new SnapshotDirectory();
  private final List<ApplyListener> applyListeners = new CopyOnWriteArrayList<>();
  private final RecentResults recentResults = new RecentResults();
  private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
  private final AppliedIndexWaiters appliedWaiters = new AppliedIndexWaiters(0);

  /** Readers hold it shared; replacing or closing the store takes it exclusively. */
  private final ReadWriteLock storeLock = new ReentrantReadWriteLock();

  private final AtomicLong snapshotsInstalled = new AtomicLong();
  private final ClusterVersion clusterVersion;
  private volatile Store store;

  /** Why this member stopped applying, and where; null while it applies. */
  private volatile Halt halted;

  /**
   * This member stopped applying the log.
   *
   * @param reason why, in one line
   * @param appliedIndex the last log index it applied
   * @param revision the store's revision then
   */
  public record Halt(String reason, long appliedIndex, long revision) {}

  private volatile int appliedFormatVersion;

  /**
   * @param applyNanos told how long each entry took to apply (the apply thread is the store's one
   *     serial section: watch it)
   * @param wallClockMs this member's wall clock (unix ms): stamps the entries it appends as leader
   * @param clusterVersion the format version this member applies and, as leader, writes in
   */
  public AimStateMachine(
      Path kvDir,
      StorageOptions storageOptions,
      Limits limits,
      LongConsumer applyNanos,
      LongSupplier wallClockMs,
      ClusterVersion clusterVersion) {
    this.applyNanos = applyNanos;
    this.clusterVersion = clusterVersion;
    this.wallClockMs = wallClockMs;
    this.kvDir = kvDir;
    this.storageOptions = storageOptions;
    this.limits = limits;
    applyListeners.add(appliedWaiters);
  }

  /**
   * Runs a read against the current store. The store is replaced when a snapshot is installed; this
   * keeps it open until the read is done, so never keep the {@link Store} past the call.
   *
   * @throws StoreUnavailableException while the store is being replaced or is closed
   */
  public <T> T read(Function<Store, T> reader) {
    storeLock.readLock().lock();
    try {
      Store s = store;
      if (s == null) {
        throw new StoreUnavailableException("the store is being replaced by a snapshot or closed");
      }
      return reader.apply(s);
    } finally {
      storeLock.readLock().unlock();
    }
  }

  public void addApplyListener(ApplyListener l) {
    applyListeners.add(l);
  }

  public void addLeadershipListener(LeadershipListener l) {
    leadershipListeners.add(l);
  }

  /** Completes once this member has applied {@code index}. */
  public CompletableFuture<Void> waitApplied(long index) {
    return appliedWaiters.waitFor(index);
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    snapshots.init(raftStorage);
    getLifeCycle()
        .startAndTransition(
            () -> {
              SnapshotDirectory.cleanUpRestore(kvDir);
              RocksBackend backend = RocksBackend.open(kvDir, storageOptions);
              try {
                verifyChecksums(backend);
              } catch (IOException | RuntimeException e) {
                backend.close();
                throw e;
              }
              store = new Store(backend, limits);
              restoreIfBehindSnapshot();
              appliedWaiters.advance(store.appliedIndex());
              SnapshotInfo s = snapshots.getLatestSnapshot();
              setLastAppliedTermIndex(s == null ? TermIndex.INITIAL_VALUE : s.getTermIndex());
              for (ApplyListener l : applyListeners) {
                l.onReset(store);
              }
              LOG.info(
                  "event=store_opened dir={} applied_index={} revision={} snapshot={}",
                  kvDir,
                  store.appliedIndex(),
                  store.revision(),
                  s == null ? "none" : s.getTermIndex());
            },
            IOException.class);
  }

  /** Checks every RocksDB block against its checksum once, at start, and logs what it cost. */
  private void verifyChecksums(RocksBackend backend) throws IOException {
    long t0 = System.nanoTime();
    backend.verifyChecksums();
    LOG.info(
        "event=store_checksums_verified dir={} bytes={} ms={}",
        kvDir,
        backend.sizeBytes(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Ratis replays the log only from the latest snapshot on. If the store is behind that snapshot
   * (the process died while or just after installing one), the entries in between are gone from the
   * log: the store must come from the snapshot again.
   */
  private void restoreIfBehindSnapshot() throws IOException {
    java.util.Optional<Path> latest = snapshots.latestPath();
    if (latest.isEmpty()) {
      return;
    }
    long held = SnapshotDirectory.appliedIndexOf(latest.get());
    if (held > store.appliedIndex()) {
      LOG.warn(
          "event=store_behind_snapshot applied_index={} snapshot_applied_index={}; restoring from {}",
          store.appliedIndex(),
          held,
          latest.get().getFileName());
      store.backend().close();
      SnapshotDirectory.restore(latest.get(), kvDir);
      store = new Store(RocksBackend.open(kvDir, storageOptions), limits);
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  /**
   * Runs on the leader only, for each write it is about to append: stamps the entry with the
   * leader's time (see {@code LogEntry.leader_time_ms}) and with the cluster version, the format
   * version every member of the configuration it is appended in can apply ({@code
   * LogEntry.format_version}). The fields are appended to the proposer's bytes, which protobuf
   * reads as setting them: no parse and no copy of the entry.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    int version = clusterVersion.of(configurationMembers());
    return TransactionContext.newBuilder()
        .setStateMachine(this)
        .setClientRequest(request)
        .setLogData(
            request
                .getMessage()
                .getContent()
                .concat(UnsafeByteOperations.unsafeWrap(LeaderTime.encode(wallClockMs.getAsLong())))
                .concat(UnsafeByteOperations.unsafeWrap(FormatVersion.encode(version))))
        .build();
  }

  /**
   * Every member of this member's latest Raft configuration, voters and listeners, of the old
   * configuration too while a change is under way: each one will have to apply what is appended.
   */
  public Set<String> configurationMembers() throws IOException {
    RaftConfiguration conf = getServer().join().getDivision(getGroupId()).getRaftConf();
    Set<String> names = new TreeSet<>();
    for (RaftPeerRole role : List.of(RaftPeerRole.FOLLOWER, RaftPeerRole.LISTENER)) {
      conf.getAllPeers(role).forEach(p -> names.add(p.getId().toString()));
      conf.getPreviousPeers(role).forEach(p -> names.add(p.getId().toString()));
    }
    return names;
  }

  /** What this member applies, and as leader the version it writes new entries in. */
  public ClusterVersion clusterVersion() {
    return clusterVersion;
  }

  /** The format version of the latest entry this member applied; 0 before the first. */
  public int appliedFormatVersion() {
    return appliedFormatVersion;
  }

  /**
   * Why and where this member stopped applying the log (an entry in a format version above its
   * maximum); empty while it applies. Its Raft server and store are closed then.
   */
  public Optional<Halt> halted() {
    return Optional.ofNullable(halted);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto e = trx.getLogEntry();
    try {
      LogEntry entry =
          LogEntry.parseFrom(e.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
      int version = FormatVersion.of(entry);
      refuseUnknownFormat(version, e.getIndex());
      long t0 = System.nanoTime();
      ApplyResult result = store.apply(entry, e.getTerm(), e.getIndex());
      applyNanos.accept(System.nanoTime() - t0);
      updateLastAppliedTermIndex(e.getTerm(), e.getIndex());
      appliedFormatVersion = version;
      for (ApplyListener l : applyListeners) {
        l.onApplied(e.getIndex(), result);
      }
      return CompletableFuture.completedFuture(
          Message.valueOf(UnsafeByteOperations.unsafeWrap(reply(entry, result))));
    } catch (IOException ex) {
      // A log entry we cannot decode was written by a newer or broken member: stop, do not guess
      // (a failed future would let Ratis move on past it and this member would diverge).
      LOG.error("event=undecodable_entry index={} error={}", e.getIndex(), ex.toString());
      throw new IllegalStateException("cannot decode log entry " + e.getIndex(), ex);
    }
  }

  /**
   * Stops this member at an entry it cannot apply as its writer meant: applying it anyway could
   * make this member's state differ from the others'. The exception stops Ratis' apply thread (and
   * this member's Raft server), before anything of the entry is applied; the others go on without
   * it.
   */
  private void refuseUnknownFormat(int version, long index) {
    int max = clusterVersion.selfMax();
    if (version <= max) {
      return;
    }
    String why =
        "log entry "
            + index
            + " is in format version "
            + version
            + ", but this member applies format versions up to "
            + max
            + ": it stops applying (run a release that applies version "
            + version
            + " on this member; see docs/operations.md, 'Rolling upgrades')";
    halted = new Halt(why, getLastAppliedTermIndex().getIndex(), store.revision());
    LOG.error(
        "event=entry_format_unsupported index={} format_version={} max_format_version={}; {}",
        index,
        version,
        max,
        why);
    throw new UnsupportedFormatException(why);
  }

  /**
   * The bytes of the entry's reply: its results; for a second copy of a proposal, the first copy's
   * results if this member still has them.
   */
  private byte[] reply(LogEntry entry, ApplyResult result) {
    if (!entry.hasProposalId() || result == ApplyResult.ALREADY_APPLIED) {
      return result.toProto().toByteArray(); // a replayed entry's results are not known here
    }
    if (result.duplicateOf() != 0) {
      byte[] first = recentResults.get(entry.getProposalId());
      LOG.info(
          "event=duplicate_proposal_skipped first_index={} reply={}",
          result.duplicateOf(),
          first == null ? "unknown" : "repeated");
      return first != null ? first : result.toProto().toByteArray();
    }
    byte[] reply = result.toProto().toByteArray();
    recentResults.put(entry.getProposalId(), reply);
    return reply;
  }

  /** Reads are served outside Ratis; a query only marks that the ReadIndex has been reached. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex ti = getLastAppliedTermIndex();
    SnapshotInfo latest = snapshots.getLatestSnapshot();
    if (latest != null && latest.getIndex() >= ti.getIndex()) {
      return latest.getIndex();
    }
    Path dir = snapshots.pathFor(ti);
    Path previous = snapshots.latestPath().orElse(null);
    store.backend().checkpoint(dir);
    SnapshotDirectory.writeAppliedIndex(dir, store.appliedIndex());
    SnapshotDirectory.writeInfo(dir, store.revision(), store.compactRevision());
    SnapshotChecksums.write(dir, previous);
    snapshots.refresh();
    snapshots.prune();
    LOG.info(
        "event=snapshot_taken term={} index={} revision={}",
        ti.getTerm(),
        ti.getIndex(),
        store.revision());
    return ti.getIndex();
  }

  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** Replaces the store with the snapshot Ratis just installed. */
  @Override
  public void reinitialize() throws IOException {
    snapshots.refresh();
    Path snapshot =
        snapshots
            .latestPath()
            .orElseThrow(() -> new IOException("reinitialize without an installed snapshot"));
    Store fresh;
    storeLock.writeLock().lock();
    try {
      Store old = store;
      store = null;
      if (old != null) {
        old.backend().close();
      }
      SnapshotDirectory.restore(snapshot, kvDir);
      fresh = new Store(RocksBackend.open(kvDir, storageOptions), limits);
      store = fresh;
    } finally {
      storeLock.writeLock().unlock();
    }
    setLastAppliedTermIndex(snapshots.getLatestSnapshot().getTermIndex());
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
    snapshotsInstalled.incrementAndGet();
    LOG.info(
        "event=snapshot_installed snapshot={} applied_index={} revision={}",
        snapshot.getFileName(),
        fresh.appliedIndex(),
        fresh.revision());
    for (ApplyListener l : applyListeners) {
      l.onReset(fresh);
    }
  }

  /**
   * Links the files of this member's latest snapshot into {@code into}, for a backup: a consistent
   * RocksDB checkpoint, taken on the apply thread between two entries. Take one first ({@link
   * RaftNode#snapshotNow()}) for a snapshot that holds everything applied so far.
   */
  public SnapshotExport exportLatestSnapshot(Path into) throws IOException {
    return snapshots.exportLatest(into);
  }

  /** This member's storage quota ({@code quota-backend-bytes}); 0 for none. */
  public long quotaBytes() {
    return storageOptions.quotaBackendBytes();
  }

  /** Snapshots installed from a leader since this process started. */
  public long snapshotsInstalled() {
    return snapshotsInstalled.get();
  }

  @Override
  public void notifyLeaderReady() {
    leadershipListeners.forEach(LeadershipListener::onLeaderReady);
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
    leadershipListeners.forEach(LeadershipListener::onStepDown);
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
    if (!member.getPeerId().equals(newLeader)) {
      leadershipListeners.forEach(LeadershipListener::onStepDown);
    }
  }

  @Override
  public void close() throws IOException {
    storeLock.writeLock().lock();
    try {
      Store s = store;
      store = null;
      if (s != null) {
        s.backend().close();
      }
    } finally {
      storeLock.writeLock().unlock();
    }
    if (!getLifeCycleState().isClosingOrClosed()) {
      getLifeCycle().transition(LifeCycle.State.CLOSING);
      getLifeCycle().transition(LifeCycle.State.CLOSED);
    }
  }
}
