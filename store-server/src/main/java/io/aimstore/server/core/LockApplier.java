package io.aimstore.server.core;

import static io.aimstore.server.core.ApplyContext.LATEST;
import static io.aimstore.server.core.ApplyContext.header;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.LockReleaseResponse;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.UnquarantineRequest;
import io.aimstore.api.v1.UnquarantineResponse;
import io.aimstore.internal.ClaimRecord;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.LeaseRevoke;
import io.aimstore.internal.LockAcquire;
import io.aimstore.internal.LockAcquireResult;
import io.aimstore.internal.LockRecord;
import io.aimstore.internal.LockRelease;
import io.aimstore.internal.RevokeReason;
import io.aimstore.server.storage.Table;
import java.time.Instant;

/**
 * Applies the lock commands (queue a claim, release one, force-release the holder with an audit
 * record and an optional quarantine) and decides fencing: a write guarded by {@code (lock, token)}
 * applies only while {@code token} holds the lock. After every command, {@link #refresh} records
 * the new holder of each lock whose claims changed (see {@link LockTable}).
 */
final class LockApplier {
  private final ApplyContext ctx;
  private final LeaseApplier leases;
  private final AuditLog audit;

  LockApplier(ApplyContext ctx, LeaseApplier leases, AuditLog audit) {
    this.ctx = ctx;
    this.leases = leases;
    this.audit = audit;
  }

  /**
   * The fencing token a write carries: 0 if unfenced, else the lock holder's token, which must be
   * the fence's; otherwise the write fails as a stale fence and nothing is written.
   */
  long fenceToken(Fence fence) {
    if (fence == null) {
      return 0;
    }
    LockRecord lock = LockTable.record(ctx.batch, fence.getLock());
    long holder = lock == null ? 0 : lock.getHolderToken();
    if (holder != fence.getToken()) {
      String current = holder == 0 ? "none" : Long.toString(holder);
      if (lock != null && lock.getQuarantinedUntilMs() != 0) {
        current += ", quarantined until " + Instant.ofEpochMilli(lock.getQuarantinedUntilMs());
      }
      throw StoreException.staleFence(
          "stale fencing token "
              + fence.getToken()
              + " for lock "
              + fence.getLock()
              + " (current holder: "
              + current
              + ")");
    }
    return holder;
  }

  /**
   * Fencing by one required lock: the fence must name {@code lock} and hold it; {@code rule} says
   * what is fenced, for the error message.
   */
  long requiredFence(String lock, Fence fence, String rule) {
    if (fence == null || !fence.getLock().equals(lock)) {
      throw StoreException.failedPrecondition(rule + ": hold lock " + lock + " and pass its token");
    }
    return fenceToken(fence);
  }

  LockAcquireResult acquire(LockAcquire a) {
    LeaseRecord lease = LeaseTable.get(ctx.batch, a.getLease());
    if (lease == null) {
      throw StoreException.leaseNotFound(
          a.getLease(), " (expired or revoked): cannot queue for lock " + a.getName());
    }
    if (!lease.getQuarantineOf().isEmpty()) {
      throw StoreException.invalid("lease " + a.getLease() + " is a quarantine lease");
    }
    if (leases.requireOwnerOrAdmin(lease, "queue a lock claim on")) {
      throw StoreException.failedPrecondition(
          "lease "
              + a.getLease()
              + " belongs to "
              + lease.getIdentity()
              + ": a lock is held on its holder's own lease, even by an admin");
    }
    boolean etcd = a.getStyle() == LockAcquire.Style.ETCD;
    ByteString key =
        etcd
            ? LockTable.etcdClaimKey(a.getName(), a.getLease())
            : LockTable.claimKey(a.getName(), a.getLease());
    KeyValue existing = ctx.reader.get(key, LATEST);
    if (existing != null) {
      if (existing.getLease() != a.getLease()) {
        throw StoreException.failedPrecondition(
            "key "
                + RequestValidator.printable(key)
                + " exists but is not attached to lease "
                + a.getLease()
                + ", so it is not that lease's claim on lock "
                + a.getName());
      }
      if (etcd && !existing.getValue().equals(a.getValue())) {
        ctx.writer.put(key, a.getValue(), a.getLease(), 0, existing); // a campaign's new value
      }
      return LockAcquireResult.newBuilder()
          .setKey(key)
          .setToken(existing.getCreateRevision())
          .setExisted(true)
          .build();
    }
    ByteString value =
        etcd
            ? a.getValue()
            : ClaimRecord.newBuilder()
                .setLock(a.getName())
                .setLease(a.getLease())
                .setQueuedAtMs(ctx.now())
                .build()
                .toByteString();
    ctx.writer.put(key, value, a.getLease(), 0, null);
    return LockAcquireResult.newBuilder().setKey(key).setToken(ctx.writer.openRevision()).build();
  }

  /**
   * Releases claim {@code token} (holder or waiter) if it still exists; only the identity that owns
   * the claim's lease (or an admin, or the store giving up a wait) may.
   */
  LockReleaseResponse release(LockRelease r) {
    for (LockTable.Claim claim : LockTable.claims(ctx.reader, LATEST, r.getName())) {
      if (claim.token() == r.getToken()) {
        LeaseRecord lease = LeaseTable.get(ctx.batch, claim.lease());
        if (lease != null) {
          leases.requireOwnerOrAdmin(lease, "release a claim on");
        }
        ctx.writer.delete(ctx.reader.get(claim.key(), LATEST));
        return LockReleaseResponse.newBuilder()
            .setHeader(header(ctx.writer.openRevision()))
            .setReleased(true)
            .build();
      }
    }
    return LockReleaseResponse.newBuilder()
        .setHeader(header(ctx.writer.revision()))
        .setReleased(false)
        .build();
  }

  /**
   * Deletes the holder's claim, records an audit record and, with a quarantine, puts the lock's
   * quarantine marker on a lease of its own: nobody holds the lock until that lease expires.
   */
  ForceReleaseResponse forceRelease(ForceReleaseRequest f) {
    String name = f.getName();
    LockRecord lock = LockTable.record(ctx.batch, name);
    long holderToken = lock == null ? 0 : lock.getHolderToken();
    if (holderToken == 0) {
      throw StoreException.failedPrecondition(
          "lock "
              + name
              + " is not held"
              + (lock != null && lock.getQuarantinedUntilMs() != 0 ? " (it is quarantined)" : ""));
    }
    if (f.getExpectedToken() != 0 && f.getExpectedToken() != holderToken) {
      throw StoreException.failedPrecondition(
          "lock " + name + " is held by token " + holderToken + ", not " + f.getExpectedToken());
    }
    long maxQuarantineMs = ctx.limits.maxLeaseTtl().toMillis();
    if (f.getQuarantineMs() > maxQuarantineMs) {
      throw StoreException.invalid(
          "a quarantine of "
              + f.getQuarantineMs()
              + " ms is longer than the longest lease ("
              + maxQuarantineMs
              + " ms)");
    }
    LeaseRecord holderLease = LeaseTable.get(ctx.batch, lock.getHolderLease());
    KeyValue claim = null;
    for (LockTable.Claim c : LockTable.claims(ctx.reader, LATEST, name)) {
      if (c.token() == holderToken) {
        claim = ctx.reader.get(c.key(), LATEST);
      }
    }
    if (claim == null) {
      throw new IllegalStateException(
          "lock " + name + " records holder " + holderToken + " without a claim");
    }
    long rev = ctx.writer.openRevision();
    long until = f.getQuarantineMs() > 0 ? ctx.now() + f.getQuarantineMs() : 0;
    ctx.writer.delete(claim);
    AuditRecord record =
        audit.write(
            AuditRecord.newBuilder()
                .setAction("force-release")
                .setReason(f.getReason())
                .setLock(name)
                .setToken(holderToken)
                .setLease(lock.getHolderLease())
                .setHolder(
                    holderLease == null ? Owner.getDefaultInstance() : holderLease.getOwner())
                .setHolderIdentity(holderLease == null ? "" : holderLease.getIdentity())
                .setQuarantinedUntilMs(until));
    long quarantineLease = 0;
    if (until != 0) {
      quarantineLease =
          leases.grantQuarantine(
              name,
              (f.getQuarantineMs() + 999) / 1000,
              Owner.newBuilder()
                  .setName("aimstore-quarantine")
                  .setHost("-")
                  .putLabels("lock", name)
                  .putLabels("operator", record.getOperator())
                  .build());
      ByteString markerKey = LockTable.quarantineKey(name);
      ctx.writer.put(
          markerKey, AuditLog.json(record), quarantineLease, 0, ctx.reader.get(markerKey, LATEST));
    }
    refresh();
    if (until != 0) {
      LockRecord after = LockTable.record(ctx.batch, name);
      ctx.batch.put(
          Table.LOCKS,
          LockTable.utf8(name).toByteArray(),
          after.toBuilder()
              .setQuarantinedUntilMs(until)
              .setQuarantineLease(quarantineLease)
              .build()
              .toByteArray());
    }
    return ForceReleaseResponse.newBuilder().setHeader(header(rev)).setAudit(record).build();
  }

  /**
   * Lifts a lock's quarantine early: revokes the quarantine lease (its marker goes with it), so the
   * first waiter holds the lock from this revision on. Audited.
   */
  UnquarantineResponse unquarantine(UnquarantineRequest u) {
    if (u.getReason().isBlank()) {
      throw StoreException.invalid("lifting a quarantine needs a reason (audit log)");
    }
    LockRecord lock = LockTable.record(ctx.batch, u.getName());
    if (lock == null || lock.getQuarantineLease() == 0) {
      throw StoreException.failedPrecondition("lock " + u.getName() + " is not quarantined");
    }
    leases.revoke(
        LeaseRevoke.newBuilder()
            .setId(lock.getQuarantineLease())
            .setReason(RevokeReason.ADMIN)
            .build());
    AuditRecord record =
        audit.write(
            AuditRecord.newBuilder()
                .setAction("unquarantine")
                .setReason(u.getReason())
                .setLock(u.getName())
                .setLease(lock.getQuarantineLease())
                .setQuarantinedUntilMs(lock.getQuarantinedUntilMs()));
    return UnquarantineResponse.newBuilder()
        .setHeader(header(ctx.writer.openRevision()))
        .setAudit(record)
        .build();
  }

  /** Records the holder of every lock whose claims changed since the last call. */
  void refresh() {
    for (String name : ctx.drainTouchedLocks()) {
      LockChange change = LockTable.refresh(ctx.batch, ctx.reader, LATEST, name, ctx.now());
      if (change != null) {
        ctx.lockChanged(change);
      }
    }
  }
}
