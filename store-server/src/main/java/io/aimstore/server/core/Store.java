package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.DroneStatus;
import io.aimstore.api.v1.HoldRecord;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.api.v1.Rollout;
import io.aimstore.internal.ClaimRecord;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.LockRecord;
import io.aimstore.internal.LogEntry;
import io.aimstore.server.storage.Backend;
import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Snapshot;
import io.aimstore.server.storage.Table;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The replicated state: MVCC keyspace, leases and locks over a {@link Backend}.
 *
 * <p>{@link #apply} is a pure function of the stored state and the log entry: no clock, no
 * randomness, no threads. The same log gives the same state on every member, byte for byte ({@link
 * #stateHash()}). Each entry is one atomic batch that also records its log index, so after a crash
 * the store resumes at a whole entry and {@link #apply} skips what it has already applied.
 *
 * <p>Only one thread applies. Reads may come from any thread: each reads one consistent {@link
 * Snapshot}.
 */
public final class Store {
  private final Backend backend;
  private final Limits limits;
  private final AppliedProposals proposals;
  private volatile Meta meta;
  private volatile AccessPolicy policy;
  private volatile ActiveAlarms alarms;

  public Store(Backend backend, Limits limits) {
    this.backend = backend;
    this.limits = limits;
    try (Snapshot s = backend.snapshot()) {
      this.meta = Meta.read(s);
      this.policy = AuthTable.load(new KeyspaceReader(s), meta.revision());
      this.proposals = AppliedProposals.load(s);
      this.alarms = AlarmTable.load(s);
    }
  }

  public Backend backend() {
    return backend;
  }

  public Limits limits() {
    return limits;
  }

  /** Log index of the last applied entry. */
  public long appliedIndex() {
    return backend.appliedIndex();
  }

  public long appliedTerm() {
    return backend.appliedTerm();
  }

  /** Approximate bytes the store uses on disk and in memory buffers. */
  public long sizeBytes() {
    return backend.sizeBytes();
  }

  /** The roles and bindings in force as of the last applied entry. */
  public AccessPolicy policy() {
    return policy;
  }

  /**
   * The alarms active as of the last applied entry (the replicated alarm table; see {@code
   * raft.Alarms} to raise or clear one).
   */
  public ActiveAlarms alarms() {
    return alarms;
  }

  /** The current revision. */
  public long revision() {
    return meta.revision();
  }

  public long compactRevision() {
    return meta.compactRevision();
  }

  /**
   * Applies one log entry. Entries at or below {@link #appliedIndex()} were applied before a
   * restart and are skipped; so is a second copy of a proposal already applied (same {@link
   * LogEntry#getProposalId() proposal id}, see {@link AppliedProposals}): it only advances the
   * applied index and returns {@link ApplyResult#duplicateOf(long)}.
   */
  public ApplyResult apply(LogEntry entry, long term, long index) {
    if (index <= backend.appliedIndex()) {
      return ApplyResult.ALREADY_APPLIED;
    }
    long firstCopy = entry.hasProposalId() ? proposals.appliedAt(entry.getProposalId()) : 0;
    try (Batch batch = backend.beginBatch()) {
      if (firstCopy != 0) {
        Runnable remember = proposals.record(batch, index, null);
        batch.commit(term, index);
        remember.run();
        return ApplyResult.duplicateOf(firstCopy);
      }
      EntryApplier applier =
          new EntryApplier(batch, meta, limits, policy, alarms, entry.getLeaderTimeMs());
      List<CommandResult> results = new ArrayList<>(entry.getCommandsCount());
      for (Command c : entry.getCommandsList()) {
        results.add(applier.apply(c));
      }
      applier.meta().write(batch);
      AccessPolicy nextPolicy = applier.policy(); // reads the batch: before it commits
      Runnable remember =
          proposals.record(batch, index, entry.hasProposalId() ? entry.getProposalId() : null);
      batch.commit(term, index);
      meta = applier.meta();
      policy = nextPolicy;
      alarms = applier.alarms();
      remember.run();
      return new ApplyResult(
          results, applier.events(), applier.leaseChanges(), applier.lockChanges(), 0);
    }
  }

  /**
   * Prepares a store restored from a backup for a new Raft log, which goes on after log index
   * {@code index} (in term {@code term}): records that position as applied and forgets the proposal
   * ids of the old log's entries and the old cluster's alarms (they are about its members: the new
   * cluster's members measure their own stores). Everything else — keys with their history and
   * revisions, leases, locks, roles, the audit log — stays as it was. Call it on a backend no
   * {@link Store} has open.
   */
  public static void detachFromLog(Backend backend, long term, long index) {
    try (Batch batch = backend.beginBatch()) {
      List<byte[]> ids = new ArrayList<>();
      try (Cursor c = batch.cursor(Table.PROPOSALS)) {
        for (c.seekToFirst(); c.isValid(); c.next()) {
          ids.add(c.key());
        }
      }
      for (byte[] id : ids) {
        batch.delete(Table.PROPOSALS, id);
      }
      for (io.aimstore.api.v1.Alarm a : AlarmTable.load(batch).list()) {
        AlarmTable.delete(batch, a);
      }
      batch.commit(term, index);
    }
  }

  /** Serves a range read from the committed state. */
  public RangeResponse range(RangeRequest req) {
    try (Snapshot s = backend.snapshot()) {
      Meta m = Meta.read(s);
      long rev = req.getRevision() == 0 ? m.revision() : req.getRevision();
      checkReadable(rev, m.revision(), m.compactRevision());
      return new KeyspaceReader(s)
          .range(req, rev)
          .setHeader(ResponseHeader.newBuilder().setRevision(m.revision()))
          .build();
    }
  }

  /** Refuses reads of compacted or future revisions. */
  static void checkReadable(long revision, long current, long compact) {
    if (revision > current) {
      throw StoreException.futureRevision(revision, current);
    }
    if (revision < compact) {
      throw StoreException.compacted(revision, compact);
    }
  }

  /**
   * A window of the change history: see {@link #history}.
   *
   * @param coveredUpTo the last revision the window covers: every matching event up to it is in
   *     {@code revisions}
   */
  public record History(
      long currentRevision,
      long compactRevision,
      List<RevisionEvents> revisions,
      long coveredUpTo) {}

  /**
   * Events of revisions {@code from} and later (up to the current revision) on keys in {@code [key,
   * rangeEnd)}, at most about {@code maxEvents} (a revision is never split). When {@code from} was
   * compacted, no events come back and {@link History#compactRevision()} is above {@code from}.
   */
  public History history(long from, ByteString key, ByteString rangeEnd, int maxEvents) {
    try (Snapshot s = backend.snapshot()) {
      Meta m = Meta.read(s);
      if (from < m.compactRevision() || from > m.revision()) {
        return new History(m.revision(), m.compactRevision(), List.of(), m.revision());
      }
      HistoryReader.Chunk c =
          new HistoryReader(s).read(from, m.revision(), key, rangeEnd, maxEvents);
      return new History(m.revision(), m.compactRevision(), c.revisions(), c.coveredUpTo());
    }
  }

  /** A lease, or null. */
  public LeaseRecord lease(long id) {
    try (Snapshot s = backend.snapshot()) {
      return LeaseTable.get(s, id);
    }
  }

  /** Leases with id greater than {@code afterId}, in id order. */
  public List<LeaseRecord> leases(long afterId, int max) {
    try (Snapshot s = backend.snapshot()) {
      return LeaseTable.list(s, afterId, max);
    }
  }

  /** Keys attached to a lease, in key order. */
  public List<ByteString> leaseKeys(long id, int max) {
    try (Snapshot s = backend.snapshot()) {
      return LeaseTable.keys(s, id, max);
    }
  }

  public long leaseKeyCount(long id) {
    try (Snapshot s = backend.snapshot()) {
      return LeaseTable.keyCount(s, id);
    }
  }

  /** One lock as stored: its record and queued claims (holder first). */
  public record LockState(LockRecord record, List<KeyValue> claims) {}

  /** Locks whose name starts with {@code prefix} ("" for all), in name order. */
  public List<LockState> locks(String prefix) {
    try (Snapshot s = backend.snapshot()) {
      KeyspaceReader reader = new KeyspaceReader(s);
      long rev = Meta.read(s).revision();
      List<LockState> out = new ArrayList<>();
      for (LockRecord r : LockTable.records(s, prefix)) {
        out.add(lockState(reader, rev, r));
      }
      return out;
    }
  }

  /** The lock named exactly {@code name}, or null when nobody holds or waits for it. */
  public LockState lock(String name) {
    try (Snapshot s = backend.snapshot()) {
      LockRecord r = LockTable.record(s, name);
      return r == null ? null : lockState(new KeyspaceReader(s), Meta.read(s).revision(), r);
    }
  }

  private static LockState lockState(KeyspaceReader reader, long rev, LockRecord r) {
    List<KeyValue> claims = new ArrayList<>();
    for (LockTable.Claim c : LockTable.claims(reader, rev, r.getName())) {
      claims.add(reader.get(c.key(), rev));
    }
    return new LockState(r, claims);
  }

  /** How many locks have a holder, and how many claims wait behind one (the lock gauges). */
  public record LockCounts(long held, long waiting) {}

  public LockCounts lockCounts() {
    long held = 0;
    long waiting = 0;
    for (LockState l : locks("")) {
      boolean hasHolder = l.record().getHolderToken() != 0;
      held += hasHolder ? 1 : 0;
      waiting += Math.max(0, l.claims().size() - (hasHolder ? 1 : 0));
    }
    return new LockCounts(held, waiting);
  }

  /** The fencing token of the holder of {@code name}, 0 if none. */
  public long lockHolderToken(String name) {
    try (Snapshot s = backend.snapshot()) {
      LockRecord r = LockTable.record(s, name);
      return r == null ? 0 : r.getHolderToken();
    }
  }

  /**
   * The lock a claim (the store's or an etcd-style one) or quarantine key belongs to, or null for
   * any other key. {@code kv} is the key as it was (a delete event's prev_kv).
   */
  public static String lockOf(KeyValue kv) {
    String lock = LockTable.lockOf(kv.getKey());
    return lock != null ? lock : LockTable.etcdLockOf(kv.getKey(), kv.getLease());
  }

  /** When a claim was queued (unix ms), or 0 when unknown (etcd-style claims do not record it). */
  public static long claimQueuedAtMs(KeyValue claim) {
    if (!LockTable.isStoreClaim(claim.getKey())) {
      return 0;
    }
    try {
      return ClaimRecord.parseFrom(claim.getValue()).getQueuedAtMs();
    } catch (InvalidProtocolBufferException e) {
      return 0;
    }
  }

  /** A fleet as the aim services see it. */
  public record FleetView(List<DroneStatus> drones, HoldRecord hold, Rollout rollout) {}

  public FleetView fleet(String fleet) {
    try (Snapshot s = backend.snapshot()) {
      FleetReader f = new FleetReader(s, Meta.read(s).revision());
      return new FleetView(f.drones(fleet), f.hold(fleet), f.rollout(fleet));
    }
  }

  /**
   * When the leader should next propose a rollout tick (leader time, unix ms): the earliest ack
   * deadline of a running stage, or {@link Long#MAX_VALUE} when none can time out.
   */
  public long nextRolloutDeadlineMs() {
    try (Snapshot s = backend.snapshot()) {
      return new FleetReader(s, Meta.read(s).revision()).nextStageDeadline();
    }
  }

  /** The latest rollout of every fleet that has had one. */
  public List<Rollout> rollouts() {
    try (Snapshot s = backend.snapshot()) {
      return new FleetReader(s, Meta.read(s).revision()).rollouts();
    }
  }

  /** The member records kept under {@code /_aimstore/members/} (members added at run time). */
  public java.util.Map<String, io.aimstore.api.v1.MemberRecord> members() {
    try (Snapshot s = backend.snapshot()) {
      return MemberTable.load(new KeyspaceReader(s), Meta.read(s).revision());
    }
  }

  /** Audit records at or after {@code sinceMs} (0: all), oldest first, at most {@code max}. */
  public List<AuditRecord> audit(long sinceMs, int max) {
    try (Snapshot s = backend.snapshot()) {
      return AuditLog.read(s, sinceMs, max);
    }
  }

  /**
   * A hash of the keyspace's history up to a revision.
   *
   * @param hash CRC-32C over every stored version (key and record) at or below {@code revision}
   * @param compactRevision the compact revision when the hash was taken
   * @param revision the revision it covers
   */
  public record KeyspaceHash(int hash, long compactRevision, long revision) {}

  /**
   * Hashes the stored versions of every key up to {@code revision} (0: the current one). Members
   * that applied the same log, and compacted at the same revision, give the same hash: compare it
   * to find a member whose keyspace diverged.
   */
  public KeyspaceHash hashKeyspace(long revision) {
    try (Snapshot s = backend.snapshot()) {
      Meta m = Meta.read(s);
      long rev = revision == 0 ? m.revision() : revision;
      checkReadable(rev, m.revision(), m.compactRevision());
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      try (Cursor c = s.cursor(Table.KV)) {
        for (c.seekToFirst(); c.isValid(); c.next()) {
          byte[] k = c.key();
          if (Keys.revisionOf(k) <= rev) {
            crc.update(k);
            crc.update(c.value());
          }
        }
      }
      return new KeyspaceHash((int) crc.getValue(), m.compactRevision(), rev);
    }
  }

  /** SHA-256 of every table's contents: equal on members that applied the same log. */
  public String stateHash() {
    try (Snapshot s = backend.snapshot()) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Table t : Table.values()) {
        try (Cursor c = s.cursor(t)) {
          for (c.seekToFirst(); c.isValid(); c.next()) {
            md.update((byte) t.ordinal());
            md.update(Keys.ofLong(c.key().length));
            md.update(c.key());
            md.update(Keys.ofLong(c.value().length));
            md.update(c.value());
          }
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
