package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.server.storage.Batch;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the appliers of one log entry share: the open {@link Batch}, a reader and a writer over it,
 * the store's counters, the entry's time, and what the entry did to leases and lock holders.
 *
 * <p>Reads through {@link #reader} see the entry's own earlier writes. Time is the leader's: {@link
 * #now()} is the entry's leader time, never less than the time of the entry before.
 */
final class ApplyContext {
  /** Reads "as of now", including this entry's earlier writes. */
  static final long LATEST = Long.MAX_VALUE;

  final Batch batch;
  final Limits limits;
  final KeyspaceReader reader;
  final KeyspaceWriter writer;

  private final Set<String> touchedLocks = new LinkedHashSet<>();
  private final List<LeaseChange> leaseChanges = new ArrayList<>();
  private final List<LockChange> lockChanges = new ArrayList<>();
  private Meta meta;
  private AccessPolicy policy;
  private boolean policyChanged;
  private Access access = Access.SYSTEM;
  private ActiveAlarms alarms;

  /**
   * @param policy the roles and bindings in force before the entry
   * @param alarms the alarms active before the entry
   */
  ApplyContext(Batch batch, Meta meta, Limits limits, AccessPolicy policy, ActiveAlarms alarms) {
    this.batch = batch;
    this.meta = meta;
    this.limits = limits;
    this.policy = policy;
    this.alarms = alarms;
    this.reader = new KeyspaceReader(batch);
    this.writer = new KeyspaceWriter(batch, meta.revision(), this::keyChanged);
  }

  /** Follows the claims of locks: the store's own and etcd-style ones (see {@link LockTable}). */
  private void keyChanged(ByteString key, long leaseBefore, long leaseAfter) {
    String lock = LockTable.lockOf(key);
    if (lock == null) {
      lock = LockTable.etcdLockOf(key, leaseBefore);
    }
    if (lock == null) {
      lock = LockTable.etcdLockOf(key, leaseAfter);
    }
    if (lock != null) {
      touchedLocks.add(lock);
    }
  }

  /** The command about to apply is for {@code caller} (see {@code Command.caller}). */
  void caller(String caller) {
    access = policy().accessOf(caller);
  }

  /** What the caller of the running command may do, under the roles in force now. */
  Access access() {
    return access;
  }

  /** The roles and bindings in force, including this entry's changes so far. */
  AccessPolicy policy() {
    if (policyChanged) {
      policy = AuthTable.load(reader, LATEST);
      policyChanged = false;
    }
    return policy;
  }

  /** A command changed a role or binding: the next {@link #policy()} reads them again. */
  void policyChanged() {
    policyChanged = true;
  }

  /** The alarms active now, including this entry's changes so far. */
  ActiveAlarms alarms() {
    return alarms;
  }

  void alarms(ActiveAlarms a) {
    alarms = a;
  }

  /** Moves the store's time to the leader's time of the command about to apply. */
  void at(long leaderTimeMs) {
    meta = meta.withTimeAtLeast(leaderTimeMs);
  }

  /** The leader's time of this entry (unix ms). */
  long now() {
    return meta.timeMs();
  }

  Meta meta() {
    return meta;
  }

  void meta(Meta m) {
    meta = m;
  }

  /** The id for a lease granted without one: the next unused id from the counter. */
  long newLeaseId() {
    long id = meta.nextLeaseId();
    while (LeaseTable.get(batch, id) != null) {
      id++;
    }
    meta = meta.withNextLeaseId(id + 1);
    return id;
  }

  /**
   * The revision a response of the running command reports: the open one once the command has
   * written (in a txn an earlier op may have), else the current one.
   */
  long responseRevision() {
    return writer.dirty() ? writer.openRevision() : writer.revision();
  }

  static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }

  /** Locks whose claims or quarantine marker this entry changed since the last call. */
  Set<String> drainTouchedLocks() {
    Set<String> out = new LinkedHashSet<>(touchedLocks);
    touchedLocks.clear();
    return out;
  }

  void leaseChanged(LeaseChange c) {
    leaseChanges.add(c);
  }

  void lockChanged(LockChange c) {
    lockChanges.add(c);
  }

  List<LeaseChange> leaseChanges() {
    return leaseChanges;
  }

  List<LockChange> lockChanges() {
    return lockChanges;
  }
}
