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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
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
  private volatile Store store;

  /**
   * @param applyNanos told how long each entry took to apply (the apply thread is the store's one
   *     serial section: watch it)
   * @param wallClockMs this member's wall clock (unix ms): stamps the entries it appends as leader
   */
  public AimStateMachine(
      Path kvDir,
      StorageOptions storageOptions,
      Limits limits,
      LongConsumer applyNanos,
      LongSupplier wallClockMs) {
    this.applyNanos = applyNanos;
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
              store = new Store(RocksBackend.open(kvDir, storageOptions), limits);
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
   * leader's time (see {@code LogEntry.leader_time_ms}). The field is appended to the proposer's
   * bytes, which protobuf reads as setting it: no parse and no copy of the entry.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    return TransactionContext.newBuilder()
        .setStateMachine(this)
        .setClientRequest(request)
        .setLogData(
            request
                .getMessage()
                .getContent()
                .concat(
                    UnsafeByteOperations.unsafeWrap(LeaderTime.encode(wallClockMs.getAsLong()))))
        .build();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto e = trx.getLogEntry();
    try {
      LogEntry entry =
          LogEntry.parseFrom(e.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
      long t0 = System.nanoTime();
      ApplyResult result = store.apply(entry, e.getTerm(), e.getIndex());
      applyNanos.accept(System.nanoTime() - t0);
      updateLastAppliedTermIndex(e.getTerm(), e.getIndex());
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
