package io.aimstore.server.core;

import io.aimstore.api.v1.AuditRecord;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.storage.Batch;
import java.util.List;

/**
 * Applies the commands of one log entry to an open {@link Batch}, deterministically: the result
 * depends only on the stored state, the commands and the entry's leader time. It owns the batch and
 * each command's result and dispatches every command to the applier of its concern ({@link
 * KeyspaceApplier}, {@link LeaseApplier}, {@link LockApplier}, {@link FleetApplier}, {@link
 * AlarmApplier}, ...).
 *
 * <p>Every command checks everything it depends on before its first write, so a refused command
 * leaves no trace: it gets an error result and the next command proceeds. A command that fails
 * after writing is a bug, and stops the member rather than leaving half a command in the store.
 */
final class EntryApplier {
  private final ApplyContext ctx;
  private final long leaderTimeMs;
  private final KeyspaceApplier keyspace;
  private final LeaseApplier leases;
  private final LockApplier locks;
  private final FleetApplier fleets;
  private final AuthApplier auth;
  private final MemberApplier members;
  private final AlarmApplier alarms;
  private final AuditLog audit;

  /**
   * @param leaderTimeMs the entry's leader time; 0 for entries written before leaders stamped it
   *     (then each command's own legacy time applies)
   */
  EntryApplier(
      Batch batch,
      Meta meta,
      Limits limits,
      AccessPolicy policy,
      ActiveAlarms alarms,
      long leaderTimeMs) {
    this.ctx = new ApplyContext(batch, meta, limits, policy, alarms);
    this.leaderTimeMs = leaderTimeMs;
    this.audit = new AuditLog(ctx);
    this.leases = new LeaseApplier(ctx, audit);
    this.locks = new LockApplier(ctx, leases, audit);
    this.keyspace = new KeyspaceApplier(ctx, locks, audit);
    this.fleets = new FleetApplier(ctx, locks, audit);
    this.auth = new AuthApplier(ctx, audit);
    this.members = new MemberApplier(ctx, audit);
    this.alarms = new AlarmApplier(ctx, audit);
  }

  CommandResult apply(Command c) {
    ctx.at(leaderTimeMs != 0 ? leaderTimeMs : c.getProposedAtMs());
    CommandResult.Builder r = CommandResult.newBuilder();
    try {
      ctx.caller(c.getCaller());
      CommandAccess.check(c, ctx.access());
      StorageQuota.check(c, ctx.alarms());
      switch (c.getKindCase()) {
        case PUT -> r.setPut(keyspace.put(c.getPut()));
        case DELETE_RANGE -> r.setDeleteRange(keyspace.deleteRange(c.getDeleteRange()));
        case TXN -> r.setTxn(keyspace.txn(c.getTxn()));
        case COMPACT -> r.setCompact(keyspace.compact(c.getCompact().getRevision()));
        case LEASE_GRANT -> r.setLeaseGrant(leases.grant(c.getLeaseGrant()));
        case LEASE_REVOKE -> r.setLeaseRevoke(leases.revoke(c.getLeaseRevoke()));
        case LEASE_ADOPT -> r.setLeaseAdopt(leases.adopt(c.getLeaseAdopt()));
        case LEASE_CHECKPOINT -> leases.checkpoint(c.getLeaseCheckpoint());
        case LOCK_ACQUIRE -> r.setLockAcquire(locks.acquire(c.getLockAcquire()));
        case LOCK_RELEASE -> r.setLockRelease(locks.release(c.getLockRelease()));
        case LOCK_FORCE_RELEASE ->
            r.setLockForceRelease(locks.forceRelease(c.getLockForceRelease().getRequest()));
        case LOCK_UNQUARANTINE ->
            r.setLockUnquarantine(locks.unquarantine(c.getLockUnquarantine()));
        case CONFIG_PUT -> r.setConfigPut(fleets.putConfig(c.getConfigPut()));
        case ROLLOUT_START -> r.setRollout(fleets.start(c.getRolloutStart()));
        case ROLLOUT_ACTION -> r.setRollout(fleets.act(c.getRolloutAction()));
        case DRONE_REPORT -> r.setRollout(fleets.report(c.getDroneReport()));
        case FLEET_HOLD -> r.setRollout(fleets.hold(c.getFleetHold()));
        case ROLLOUT_TICK -> fleets.tick();
        case AUTH_CHANGE -> r.setAuthChange(auth.apply(c.getAuthChange()));
        case MEMBER_CHANGE -> r.setMemberChange(members.apply(c.getMemberChange()));
        case SNAPSHOT_SAVE ->
            audit.write(
                AuditRecord.newBuilder()
                    .setAction("snapshot-save")
                    .setReason(
                        "a snapshot of the store streamed from member "
                            + c.getSnapshotSave().getMember())
                    .setSubject("member " + c.getSnapshotSave().getMember()));
        case ALARM_CHANGE -> r.setAlarmChange(alarms.apply(c.getAlarmChange()));
        default -> throw StoreException.invalid("empty command");
      }
    } catch (StoreException e) {
      if (ctx.writer.dirty()) {
        throw new IllegalStateException("command failed after writing: " + e.getMessage(), e);
      }
      r.clear().setError(e.toProto());
    }
    locks.refresh();
    ctx.writer.closeRevision();
    ctx.meta(ctx.meta().withRevision(ctx.writer.revision()));
    return r.setRevision(ctx.writer.revision()).build();
  }

  Meta meta() {
    return ctx.meta();
  }

  /** The alarms active after the entry. */
  ActiveAlarms alarms() {
    return ctx.alarms();
  }

  /** The roles and bindings in force after the entry. */
  AccessPolicy policy() {
    return ctx.policy();
  }

  List<RevisionEvents> events() {
    return ctx.writer.events();
  }

  List<LeaseChange> leaseChanges() {
    return ctx.leaseChanges();
  }

  List<LockChange> lockChanges() {
    return ctx.lockChanges();
  }
}
