package io.aimstore.server.core;

import static io.aimstore.server.core.ApplyContext.LATEST;
import static io.aimstore.server.core.ApplyContext.header;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.LeaseAdoptRequest;
import io.aimstore.api.v1.LeaseAdoptResponse;
import io.aimstore.api.v1.LeaseGrantResponse;
import io.aimstore.api.v1.LeaseRevokeResponse;
import io.aimstore.api.v1.Owner;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.LeaseCheckpoint;
import io.aimstore.internal.LeaseGrant;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.RevokeReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the lease commands: grant, adopt, revoke (by a client, an operator or the leader's
 * expiry) and the leader's checkpoints of remaining TTLs. Revoking a lease deletes every key
 * attached to it in one revision; the lessor learns of each change through {@link LeaseChange}s.
 */
final class LeaseApplier {
  private final ApplyContext ctx;

  LeaseApplier(ApplyContext ctx) {
    this.ctx = ctx;
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
      throw new StoreException(ErrorCode.ALREADY_EXISTS, "lease " + id + " already exists");
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
            .build());
    return id;
  }

  private void put(LeaseRecord r) {
    LeaseTable.put(ctx.batch, r);
    ctx.leaseChanged(new LeaseChange.Granted(r.getId(), r.getTtlSeconds()));
  }

  LeaseAdoptResponse adopt(LeaseAdoptRequest a) {
    RequestValidator.checkOwner(a.hasOwner() ? a.getOwner() : null);
    LeaseRecord lease = existing(a.getId(), "");
    LeaseTable.put(ctx.batch, lease.toBuilder().setOwner(a.getOwner()).build());
    return LeaseAdoptResponse.newBuilder()
        .setHeader(header(ctx.writer.revision()))
        .setPreviousOwner(lease.getOwner())
        .build();
  }

  LeaseRevokeResponse revoke(long id, RevokeReason reason) {
    existing(id, "already ");
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

  /** The lease, which must exist (else NOT_FOUND; {@code already} qualifies the message). */
  LeaseRecord existing(long id, String already) {
    LeaseRecord lease = LeaseTable.get(ctx.batch, id);
    if (lease == null) {
      throw StoreException.notFound(
          "lease " + id + " not found (" + already + "expired or revoked)");
    }
    return lease;
  }
}
