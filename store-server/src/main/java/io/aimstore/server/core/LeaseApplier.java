package io.aimstore.server.core;

import static io.aimstore.server.core.ApplyContext.LATEST;
import static io.aimstore.server.core.ApplyContext.header;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.LeaseAdoptRequest;
import io.aimstore.api.v1.LeaseAdoptResponse;
import io.aimstore.api.v1.LeaseGrantResponse;
import io.aimstore.api.v1.LeaseRevokeResponse;
import io.aimstore.api.v1.Owner;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.ErrorReason;
import io.aimstore.internal.LeaseCheckpoint;
import io.aimstore.internal.LeaseGrant;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.LeaseRevoke;
import io.aimstore.internal.RevokeReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the lease commands: grant, adopt, revoke (by a client, an operator or the leader's
 * expiry) and the leader's checkpoints of remaining TTLs. Revoking a lease deletes every key
 * attached to it in one revision; the lessor learns of each change through {@link LeaseChange}s.
 */
final class LeaseApplier {
  /**
   * The owner identity of a quarantine lease: no certificate has it, so only an admin acts on the
   * lease, and the lessor refuses its keep-alives (a quarantine never outlives its TTL).
   */
  static final String QUARANTINE_IDENTITY_PREFIX = Access.QUARANTINE_IDENTITY_PREFIX;

  private final ApplyContext ctx;
  private final AuditLog audit;

  LeaseApplier(ApplyContext ctx, AuditLog audit) {
    this.ctx = ctx;
    this.audit = audit;
  }

  LeaseGrantResponse grant(LeaseGrant g) {
    long min = ctx.limits.minLeaseTtl().toSeconds();
    long max = ctx.limits.maxLeaseTtl().toSeconds();
    if (g.getTtlSeconds() < min || g.getTtlSeconds() > max) {
      throw StoreException.invalid(
          "lease TTL must be between "
              + min
              + " and "
              + max
              + " seconds, got "
              + g.getTtlSeconds());
    }
    RequestValidator.checkOwner(g.hasOwner() ? g.getOwner() : null);
    long id = g.getId();
    if (id != 0 && LeaseTable.get(ctx.batch, id) != null) {
      throw new StoreException(
          ErrorCode.ALREADY_EXISTS, "lease " + id + " already exists", ErrorReason.LEASE_EXISTS);
    }
    if (id == 0) {
      id = ctx.newLeaseId();
    }
    put(
        LeaseRecord.newBuilder()
            .setId(id)
            .setTtlSeconds(g.getTtlSeconds())
            .setOwner(g.getOwner())
            .setGrantedAtMs(ctx.now())
            .setIdentity(ctx.access().identity())
            .build());
    return LeaseGrantResponse.newBuilder()
        .setHeader(header(ctx.writer.revision()))
        .setId(id)
        .setTtl(g.getTtlSeconds())
        .build();
  }

  /**
   * Grants the lease that holds a force-released lock's quarantine marker: it expires like any
   * lease, and the marker goes with it.
   */
  long grantQuarantine(String lock, long ttlSeconds, Owner owner) {
    long id = ctx.newLeaseId();
    put(
        LeaseRecord.newBuilder()
            .setId(id)
            .setTtlSeconds(ttlSeconds)
            .setOwner(owner)
            .setGrantedAtMs(ctx.now())
            .setQuarantineOf(lock)
            .setIdentity(QUARANTINE_IDENTITY_PREFIX + lock)
            .build());
    return id;
  }

  private void put(LeaseRecord r) {
    LeaseTable.put(ctx.batch, r);
    ctx.leaseChanged(new LeaseChange.Granted(r.getId(), r.getTtlSeconds(), r.getIdentity()));
  }

  /**
   * Records a new owner (and the caller's identity) on a lease. Adopting another identity's lease
   * takes an admin and is audited.
   */
  LeaseAdoptResponse adopt(LeaseAdoptRequest a) {
    RequestValidator.checkOwner(a.hasOwner() ? a.getOwner() : null);
    LeaseRecord lease = existing(a.getId(), "");
    if (!lease.getQuarantineOf().isEmpty()) {
      throw StoreException.failedPrecondition(
          "lease "
              + lease.getId()
              + " holds the quarantine of lock "
              + lease.getQuarantineOf()
              + "; lift it with 'aimctl lock unquarantine'");
    }
    boolean takeover = requireOwnerOrAdmin(lease, "adopt");
    if (takeover) {
      audit.write(
          AuditRecord.newBuilder()
              .setAction("lease-adopt")
              .setReason("adopted by an admin")
              .setLease(lease.getId())
              .setSubject("lease " + lease.getId())
              .setHolder(lease.getOwner())
              .setHolderIdentity(lease.getIdentity()));
    }
    String identity = ctx.access().identity();
    LeaseTable.put(
        ctx.batch, lease.toBuilder().setOwner(a.getOwner()).setIdentity(identity).build());
    ctx.leaseChanged(new LeaseChange.Adopted(lease.getId(), identity));
    return LeaseAdoptResponse.newBuilder()
        .setHeader(header(ctx.responseRevision()))
        .setPreviousOwner(lease.getOwner())
        .build();
  }

  /**
   * Revokes a lease and deletes its keys. A client may revoke its own leases; another identity's
   * takes an admin and is audited. Expiry and quarantine ends are the store's own.
   */
  LeaseRevokeResponse revoke(LeaseRevoke r) {
    long id = r.getId();
    LeaseRecord lease = existing(id, "already ");
    boolean takeover =
        r.getReason() == RevokeReason.REVOKED && requireOwnerOrAdmin(lease, "revoke");
    RevokeReason reason = r.getReason();
    List<KeyValue> victims = new ArrayList<>();
    for (ByteString key : LeaseTable.keys(ctx.batch, id, Integer.MAX_VALUE)) {
      KeyValue kv = ctx.reader.get(key, LATEST);
      if (kv != null && kv.getLease() == id) {
        victims.add(kv);
      } else {
        LeaseTable.detach(ctx.batch, id, key);
      }
    }
    for (KeyValue kv : victims) {
      ctx.writer.delete(kv);
    }
    LeaseTable.delete(ctx.batch, id);
    ctx.leaseChanged(new LeaseChange.Revoked(id, reason));
    if (takeover) {
      audit.write(
          AuditRecord.newBuilder()
              .setAction("lease-revoke")
              .setReason(r.getNote().isBlank() ? "revoked by an admin" : r.getNote())
              .setLease(id)
              .setSubject("lease " + id)
              .setHolder(lease.getOwner())
              .setHolderIdentity(lease.getIdentity()));
    }
    return LeaseRevokeResponse.newBuilder()
        .setHeader(header(ctx.responseRevision()))
        .setDeletedKeys(victims.size())
        .build();
  }

  void checkpoint(LeaseCheckpoint cp) {
    for (LeaseCheckpoint.Entry e : cp.getEntriesList()) {
      LeaseRecord lease = LeaseTable.get(ctx.batch, e.getId());
      if (lease != null) {
        LeaseTable.put(
            ctx.batch, lease.toBuilder().setCheckpointRemainingMs(e.getRemainingMs()).build());
        ctx.leaseChanged(new LeaseChange.Checkpointed(e.getId(), e.getRemainingMs()));
      }
    }
  }

  /**
   * PERMISSION_DENIED unless the caller owns {@code lease} (its identity granted or adopted it, or
   * it has none) or is an admin; true when an admin acts on another identity's lease.
   */
  boolean requireOwnerOrAdmin(LeaseRecord lease, String action) {
    Access a = ctx.access();
    if (lease.getIdentity().isEmpty() || lease.getIdentity().equals(a.identity())) {
      return false;
    }
    if (!a.admin()) {
      throw new StoreException(
          ErrorCode.PERMISSION_DENIED,
          a.identity()
              + " may not "
              + action
              + " lease "
              + lease.getId()
              + ": it belongs to "
              + lease.getIdentity()
              + " (only its owner or an admin may)");
    }
    return !a.identity().equals(Access.SYSTEM_IDENTITY);
  }

  /** The lease, which must exist (else NOT_FOUND; {@code already} qualifies the message). */
  LeaseRecord existing(long id, String already) {
    LeaseRecord lease = LeaseTable.get(ctx.batch, id);
    if (lease == null) {
      throw StoreException.leaseNotFound(id, " (" + already + "expired or revoked)");
    }
    return lease;
  }
}
