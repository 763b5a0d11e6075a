package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.CompactionResponse;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.LeaseAdoptRequest;
import io.aimstore.api.v1.LeaseAdoptResponse;
import io.aimstore.api.v1.LeaseGrantResponse;
import io.aimstore.api.v1.LeaseRevokeResponse;
import io.aimstore.api.v1.LockReleaseResponse;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.api.v1.ResponseOp;
import io.aimstore.api.v1.RolloutRequest;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import io.aimstore.internal.ClaimRecord;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.LeaseCheckpoint;
import io.aimstore.internal.LeaseGrant;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.LockAcquire;
import io.aimstore.internal.LockAcquireResult;
import io.aimstore.internal.LockRecord;
import io.aimstore.internal.LockRelease;
import io.aimstore.internal.RevokeReason;
import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies the commands of one log entry to an open {@link Batch}, deterministically: the result
 * depends only on the stored state and the commands (time comes from {@code proposed_at_ms}).
 *
 * <p>Every command checks everything it depends on before its first write, so a refused command
 * leaves no trace: it gets an error result and the next command proceeds.
 */
final class EntryApplier {
  /** Reads "as of now", including this entry's earlier writes. */
  private static final long LATEST = Long.MAX_VALUE;

  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final Batch batch;
  private final Limits limits;
  private final KeyspaceReader reader;
  private final KeyspaceWriter writer;
  private final Set<String> touchedLocks = new LinkedHashSet<>();
  private final List<LeaseChange> leaseChanges = new ArrayList<>();
  private final List<LockChange> lockChanges = new ArrayList<>();
  private Meta meta;
  private long now;
  private RolloutEngine rolloutEngine;

  EntryApplier(Batch batch, Meta meta, Limits limits) {
    this.batch = batch;
    this.meta = meta;
    this.limits = limits;
    this.reader = new KeyspaceReader(batch);
    this.writer =
        new KeyspaceWriter(
            batch,
            meta.revision(),
            (key, leaseBefore, leaseAfter) -> {
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
            });
  }

  CommandResult apply(Command c) {
    now = c.getProposedAtMs();
    CommandResult.Builder r = CommandResult.newBuilder();
    try {
      switch (c.getKindCase()) {
        case PUT -> {
          long token = fenceToken(c.getPut().hasFence() ? c.getPut().getFence() : null);
          r.setPut(put(c.getPut(), token));
        }
        case DELETE_RANGE -> {
          DeleteRangeRequest d = c.getDeleteRange();
          fenceToken(d.hasFence() ? d.getFence() : null);
          r.setDeleteRange(deleteRange(d));
        }
        case TXN -> r.setTxn(txn(c.getTxn()));
        case COMPACT -> {
          compact(c.getCompact().getRevision());
          r.setCompact(CompactionResponse.newBuilder().setHeader(header(writer.revision())));
        }
        case LEASE_GRANT -> r.setLeaseGrant(grant(c.getLeaseGrant()));
        case LEASE_REVOKE ->
            r.setLeaseRevoke(revoke(c.getLeaseRevoke().getId(), c.getLeaseRevoke().getReason()));
        case LEASE_ADOPT -> r.setLeaseAdopt(adopt(c.getLeaseAdopt()));
        case LEASE_CHECKPOINT -> checkpoint(c.getLeaseCheckpoint());
        case LOCK_ACQUIRE -> r.setLockAcquire(acquire(c.getLockAcquire()));
        case LOCK_RELEASE -> r.setLockRelease(release(c.getLockRelease()));
        case LOCK_FORCE_RELEASE ->
            r.setLockForceRelease(forceRelease(c.getLockForceRelease().getRequest()));
        case CONFIG_PUT -> {
          ConfigPutRequest cp = c.getConfigPut();
          long token = fenceToken(cp.hasFence() ? cp.getFence() : null);
          r.setConfigPut(rollouts().putConfig(cp, token));
        }
        case ROLLOUT_START -> {
          RolloutStartRequest rs = c.getRolloutStart();
          long token = rolloutFence(rs.getFleet(), rs.hasFence() ? rs.getFence() : null);
          r.setRollout(rollouts().start(rs, token));
        }
        case ROLLOUT_ACTION -> {
          RolloutRequest rr = c.getRolloutAction().getRequest();
          long token = rolloutFence(rr.getFleet(), rr.hasFence() ? rr.getFence() : null);
          r.setRollout(rollouts().act(c.getRolloutAction(), token));
        }
        case DRONE_REPORT -> r.setRollout(rollouts().report(c.getDroneReport()));
        case FLEET_HOLD -> r.setRollout(rollouts().hold(c.getFleetHold()));
        case ROLLOUT_TICK -> rollouts().tick();
        default -> throw StoreException.invalid("empty command");
      }
    } catch (StoreException e) {
      if (writer.dirty()) {
        throw new IllegalStateException("command failed after writing: " + e.getMessage(), e);
      }
      r.clear().setError(e.toProto());
    }
    refreshLocks();
    writer.closeRevision();
    meta = meta.withRevision(writer.revision());
    return r.setRevision(writer.revision()).build();
  }

  private RolloutEngine rollouts() {
    if (rolloutEngine == null) {
      rolloutEngine = new RolloutEngine(reader, writer);
    }
    rolloutEngine.at(now);
    return rolloutEngine;
  }

  /** Rollouts are fenced by the fleet's config lock: the fence must name it and hold it. */
  private long rolloutFence(String fleet, Fence fence) {
    String lock = AimKeys.configLock(fleet);
    if (fence == null || !fence.getLock().equals(lock)) {
      throw StoreException.failedPrecondition(
          "rollouts of fleet "
              + fleet
              + " are fenced by its config lock: hold lock "
              + lock
              + " and pass its token");
    }
    return fenceToken(fence);
  }

  Meta meta() {
    return meta;
  }

  List<RevisionEvents> events() {
    return writer.events();
  }

  List<LeaseChange> leaseChanges() {
    return leaseChanges;
  }

  List<LockChange> lockChanges() {
    return lockChanges;
  }

  // ---- keys ----------------------------------------------------------------------------------

  private PutResponse put(PutRequest p, long fenceToken) {
    KeyValue prev = reader.get(p.getKey(), LATEST);
    checkPut(p, prev);
    writer.put(
        p.getKey(),
        p.getIgnoreValue() ? prev.getValue() : p.getValue(),
        p.getIgnoreLease() ? prev.getLease() : p.getLease(),
        fenceToken,
        prev);
    PutResponse.Builder out = PutResponse.newBuilder().setHeader(header(writer.openRevision()));
    if (p.getPrevKv() && prev != null) {
      out.setPrevKv(prev);
    }
    return out.build();
  }

  private void checkPut(PutRequest p, KeyValue prev) {
    if ((p.getIgnoreValue() || p.getIgnoreLease()) && prev == null) {
      throw new StoreException(
          io.aimstore.internal.ErrorCode.NOT_FOUND,
          "key "
              + RequestValidator.printable(p.getKey())
              + " not found: ignore_value and ignore_lease need an existing key",
          io.aimstore.internal.ErrorReason.KEY_NOT_FOUND);
    }
    if (p.getLease() != 0) {
      LeaseRecord lease = LeaseTable.get(batch, p.getLease());
      if (lease == null) {
        throw StoreException.leaseNotFound(p.getLease(), " (expired or revoked); grant a new one");
      }
    }
  }

  private DeleteRangeResponse deleteRange(DeleteRangeRequest d) {
    List<KeyValue> victims = new ArrayList<>();
    reader.scan(
        d.getKey(),
        d.getRangeEnd(),
        LATEST,
        kv -> {
          if (!RequestValidator.isReserved(kv.getKey()) && !AimKeys.isManaged(kv.getKey())) {
            victims.add(kv);
          }
          return true;
        });
    for (KeyValue kv : victims) {
      writer.delete(kv);
    }
    DeleteRangeResponse.Builder out =
        DeleteRangeResponse.newBuilder()
            // in a txn, an earlier op may have written: the txn's revision is then the open one
            .setHeader(header(writer.dirty() ? writer.openRevision() : writer.revision()))
            .setDeleted(victims.size());
    if (d.getPrevKv()) {
      out.addAllPrevKvs(victims);
    }
    return out.build();
  }

  private TxnResponse txn(TxnRequest t) {
    long token = fenceToken(t.hasFence() ? t.getFence() : null);
    boolean succeeded = true;
    for (Compare c : t.getCompareList()) {
      if (!holds(c)) {
        succeeded = false;
        break;
      }
    }
    List<RequestOp> ops = succeeded ? t.getSuccessList() : t.getFailureList();
    RequestValidator.checkNoOverlap(ops);
    for (RequestOp op : ops) {
      if (op.hasRequestPut()) {
        checkPut(op.getRequestPut(), reader.get(op.getRequestPut().getKey(), LATEST));
      } else if (op.hasRequestRange()) {
        readRevision(op.getRequestRange().getRevision());
      }
    }
    TxnResponse.Builder out = TxnResponse.newBuilder().setSucceeded(succeeded);
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_RANGE ->
            out.addResponses(
                ResponseOp.newBuilder().setResponseRange(txnRange(op.getRequestRange())));
        case REQUEST_PUT ->
            out.addResponses(
                ResponseOp.newBuilder().setResponsePut(put(op.getRequestPut(), token)));
        case REQUEST_DELETE_RANGE ->
            out.addResponses(
                ResponseOp.newBuilder()
                    .setResponseDeleteRange(deleteRange(op.getRequestDeleteRange())));
        default -> throw new IllegalStateException("unchecked op " + op);
      }
    }
    long rev = writer.dirty() ? writer.openRevision() : writer.revision();
    out.setHeader(header(rev));
    return out.build();
  }

  private RangeResponse txnRange(RangeRequest r) {
    long rev = readRevision(r.getRevision());
    long headerRev = writer.dirty() ? writer.openRevision() : writer.revision();
    return reader.range(r, rev).setHeader(header(headerRev)).build();
  }

  /** The revision to read at inside apply: latest for 0, else a checked past revision. */
  private long readRevision(long requested) {
    if (requested == 0) {
      return LATEST;
    }
    Store.checkReadable(requested, writer.revision(), meta.compactRevision());
    return requested;
  }

  private boolean holds(Compare c) {
    List<KeyValue> kvs = new ArrayList<>();
    reader.scan(c.getKey(), c.getRangeEnd(), LATEST, kv -> kvs.add(kv));
    if (kvs.isEmpty()) {
      return c.getTarget() != Compare.CompareTarget.VALUE
          && compare(c, KeyValue.getDefaultInstance());
    }
    for (KeyValue kv : kvs) {
      if (!compare(c, kv)) {
        return false;
      }
    }
    return true;
  }

  private static boolean compare(Compare c, KeyValue kv) {
    int cmp =
        switch (c.getTarget()) {
          case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
          case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
          case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
          case LEASE -> Long.compare(kv.getLease(), c.getLease());
          case VALUE ->
              ByteString.unsignedLexicographicalComparator().compare(kv.getValue(), c.getValue());
          default -> throw StoreException.invalid("unknown compare target " + c.getTarget());
        };
    return switch (c.getResult()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case GREATER -> cmp > 0;
      case LESS -> cmp < 0;
      default -> throw StoreException.invalid("unknown compare result " + c.getResult());
    };
  }

  private void compact(long revision) {
    if (revision <= meta.compactRevision()) {
      throw new StoreException(
          io.aimstore.internal.ErrorCode.OUT_OF_RANGE,
          "revision "
              + revision
              + " has already been compacted (compact revision "
              + meta.compactRevision()
              + ")",
          io.aimstore.internal.ErrorReason.COMPACTED);
    }
    if (revision > writer.revision()) {
      throw StoreException.futureRevision(revision, writer.revision());
    }
    Compactor.compact(batch, revision);
    meta = meta.withCompactRevision(revision);
  }

  private ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }

  // ---- leases --------------------------------------------------------------------------------

  private LeaseGrantResponse grant(LeaseGrant g) {
    long min = limits.minLeaseTtl().toSeconds();
    long max = limits.maxLeaseTtl().toSeconds();
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
    if (id != 0 && LeaseTable.get(batch, id) != null) {
      throw new StoreException(
          io.aimstore.internal.ErrorCode.ALREADY_EXISTS,
          "lease " + id + " already exists",
          io.aimstore.internal.ErrorReason.LEASE_EXISTS);
    }
    if (id == 0) {
      id = newLeaseId();
    }
    LeaseTable.put(
        batch,
        LeaseRecord.newBuilder()
            .setId(id)
            .setTtlSeconds(g.getTtlSeconds())
            .setOwner(g.getOwner())
            .setGrantedAtMs(now)
            .build());
    leaseChanges.add(new LeaseChange.Granted(id, g.getTtlSeconds()));
    return LeaseGrantResponse.newBuilder()
        .setHeader(header(writer.revision()))
        .setId(id)
        .setTtl(g.getTtlSeconds())
        .build();
  }

  private long newLeaseId() {
    long id = meta.nextLeaseId();
    while (LeaseTable.get(batch, id) != null) {
      id++;
    }
    meta = meta.withNextLeaseId(id + 1);
    return id;
  }

  private LeaseAdoptResponse adopt(LeaseAdoptRequest a) {
    RequestValidator.checkOwner(a.hasOwner() ? a.getOwner() : null);
    LeaseRecord lease = LeaseTable.get(batch, a.getId());
    if (lease == null) {
      throw StoreException.leaseNotFound(a.getId(), " (expired or revoked)");
    }
    LeaseTable.put(batch, lease.toBuilder().setOwner(a.getOwner()).build());
    return LeaseAdoptResponse.newBuilder()
        .setHeader(header(writer.revision()))
        .setPreviousOwner(lease.getOwner())
        .build();
  }

  private LeaseRevokeResponse revoke(long id, RevokeReason reason) {
    if (LeaseTable.get(batch, id) == null) {
      throw StoreException.leaseNotFound(id, " (already expired or revoked)");
    }
    List<KeyValue> victims = new ArrayList<>();
    for (ByteString key : LeaseTable.keys(batch, id, Integer.MAX_VALUE)) {
      KeyValue kv = reader.get(key, LATEST);
      if (kv != null && kv.getLease() == id) {
        victims.add(kv);
      } else {
        LeaseTable.detach(batch, id, key);
      }
    }
    for (KeyValue kv : victims) {
      writer.delete(kv);
    }
    LeaseTable.delete(batch, id);
    leaseChanges.add(new LeaseChange.Revoked(id, reason));
    return LeaseRevokeResponse.newBuilder()
        .setHeader(header(victims.isEmpty() ? writer.revision() : writer.openRevision()))
        .setDeletedKeys(victims.size())
        .build();
  }

  private void checkpoint(LeaseCheckpoint cp) {
    for (LeaseCheckpoint.Entry e : cp.getEntriesList()) {
      LeaseRecord lease = LeaseTable.get(batch, e.getId());
      if (lease != null) {
        LeaseTable.put(
            batch, lease.toBuilder().setCheckpointRemainingMs(e.getRemainingMs()).build());
        leaseChanges.add(new LeaseChange.Checkpointed(e.getId(), e.getRemainingMs()));
      }
    }
  }

  // ---- locks ---------------------------------------------------------------------------------

  /** The fencing token a write carries: 0 if unfenced, else checked against the lock's holder. */
  private long fenceToken(Fence fence) {
    if (fence == null) {
      return 0;
    }
    LockRecord lock = LockTable.record(batch, fence.getLock());
    long holder = lock == null ? 0 : lock.getHolderToken();
    if (holder != fence.getToken()) {
      String current = holder == 0 ? "none" : Long.toString(holder);
      if (lock != null && lock.getQuarantinedUntilMs() != 0) {
        current +=
            ", quarantined until " + java.time.Instant.ofEpochMilli(lock.getQuarantinedUntilMs());
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

  private LockAcquireResult acquire(LockAcquire a) {
    LeaseRecord lease = LeaseTable.get(batch, a.getLease());
    if (lease == null) {
      throw StoreException.leaseNotFound(
          a.getLease(), " (expired or revoked): cannot queue for lock " + a.getName());
    }
    if (!lease.getQuarantineOf().isEmpty()) {
      throw StoreException.invalid("lease " + a.getLease() + " is a quarantine lease");
    }
    boolean etcd = a.getStyle() == LockAcquire.Style.ETCD;
    ByteString key =
        etcd
            ? LockTable.etcdClaimKey(a.getName(), a.getLease())
            : LockTable.claimKey(a.getName(), a.getLease());
    KeyValue existing = reader.get(key, LATEST);
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
        writer.put(key, a.getValue(), a.getLease(), 0, existing); // a campaign's new value
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
                .setQueuedAtMs(now)
                .build()
                .toByteString();
    writer.put(key, value, a.getLease(), 0, null);
    return LockAcquireResult.newBuilder().setKey(key).setToken(writer.openRevision()).build();
  }

  private LockReleaseResponse release(LockRelease r) {
    for (LockTable.Claim claim : LockTable.claims(reader, LATEST, r.getName())) {
      if (claim.token() == r.getToken()) {
        writer.delete(reader.get(claim.key(), LATEST));
        return LockReleaseResponse.newBuilder()
            .setHeader(header(writer.openRevision()))
            .setReleased(true)
            .build();
      }
    }
    return LockReleaseResponse.newBuilder()
        .setHeader(header(writer.revision()))
        .setReleased(false)
        .build();
  }

  private ForceReleaseResponse forceRelease(ForceReleaseRequest f) {
    String name = f.getName();
    LockRecord lock = LockTable.record(batch, name);
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
    LeaseRecord holderLease = LeaseTable.get(batch, lock.getHolderLease());
    KeyValue claim = null;
    for (LockTable.Claim c : LockTable.claims(reader, LATEST, name)) {
      if (c.token() == holderToken) {
        claim = reader.get(c.key(), LATEST);
      }
    }
    if (claim == null) {
      throw new IllegalStateException(
          "lock " + name + " records holder " + holderToken + " without a claim");
    }
    long rev = writer.openRevision();
    long until = f.getQuarantineMs() > 0 ? now + f.getQuarantineMs() : 0;
    AuditRecord audit =
        AuditRecord.newBuilder()
            .setRevision(rev)
            .setAtMs(now)
            .setAction("force-release")
            .setOperator(f.getOperator())
            .setReason(f.getReason())
            .setLock(name)
            .setToken(holderToken)
            .setLease(lock.getHolderLease())
            .setHolder(holderLease == null ? Owner.getDefaultInstance() : holderLease.getOwner())
            .setQuarantinedUntilMs(until)
            .build();
    writer.delete(claim);
    long quarantineLease = 0;
    if (until != 0) {
      quarantineLease = newLeaseId();
      long ttlSeconds = (f.getQuarantineMs() + 999) / 1000;
      LeaseTable.put(
          batch,
          LeaseRecord.newBuilder()
              .setId(quarantineLease)
              .setTtlSeconds(ttlSeconds)
              .setOwner(
                  Owner.newBuilder()
                      .setName("aimstore-quarantine")
                      .setHost("-")
                      .putLabels("lock", name)
                      .putLabels("operator", f.getOperator()))
              .setGrantedAtMs(now)
              .setQuarantineOf(name)
              .build());
      leaseChanges.add(new LeaseChange.Granted(quarantineLease, ttlSeconds));
      ByteString markerKey = LockTable.quarantineKey(name);
      writer.put(
          markerKey,
          ByteString.copyFromUtf8(json(audit)),
          quarantineLease,
          0,
          reader.get(markerKey, LATEST));
    }
    writer.put(LockTable.auditKey(rev), ByteString.copyFromUtf8(json(audit)), 0, 0, null);
    refreshLocks();
    if (until != 0) {
      LockRecord after = LockTable.record(batch, name);
      batch.put(
          Table.LOCKS,
          LockTable.utf8(name).toByteArray(),
          after.toBuilder()
              .setQuarantinedUntilMs(until)
              .setQuarantineLease(quarantineLease)
              .build()
              .toByteArray());
    }
    return ForceReleaseResponse.newBuilder().setHeader(header(rev)).setAudit(audit).build();
  }

  private void refreshLocks() {
    for (String name : touchedLocks) {
      LockChange change = LockTable.refresh(batch, reader, LATEST, name, now);
      if (change != null) {
        lockChanges.add(change);
      }
    }
    touchedLocks.clear();
  }

  private static String json(AuditRecord r) {
    try {
      return JSON.print(r);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
