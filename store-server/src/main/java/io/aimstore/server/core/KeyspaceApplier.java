package io.aimstore.server.core;

import static io.aimstore.server.core.ApplyContext.LATEST;
import static io.aimstore.server.core.ApplyContext.header;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.CompactionResponse;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.ResponseOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.ErrorReason;
import io.aimstore.internal.LeaseRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the keyspace commands: put, delete-range, txn and compaction. Fenced writes are checked
 * by {@link LockApplier#fenceToken} before anything is written.
 */
final class KeyspaceApplier {
  private final ApplyContext ctx;
  private final LockApplier locks;
  private final AuditLog audit;

  KeyspaceApplier(ApplyContext ctx, LockApplier locks, AuditLog audit) {
    this.ctx = ctx;
    this.locks = locks;
    this.audit = audit;
  }

  PutResponse put(PutRequest p) {
    return put(p, locks.fenceToken(p.hasFence() ? p.getFence() : null));
  }

  private PutResponse put(PutRequest p, long fenceToken) {
    KeyValue prev = ctx.reader.get(p.getKey(), LATEST);
    checkPut(p, prev);
    ctx.writer.put(
        p.getKey(),
        p.getIgnoreValue() ? prev.getValue() : p.getValue(),
        p.getIgnoreLease() ? prev.getLease() : p.getLease(),
        fenceToken,
        prev);
    PutResponse.Builder out = PutResponse.newBuilder().setHeader(header(ctx.writer.openRevision()));
    if (p.getPrevKv() && prev != null) {
      out.setPrevKv(prev);
    }
    return out.build();
  }

  private void checkPut(PutRequest p, KeyValue prev) {
    if ((p.getIgnoreValue() || p.getIgnoreLease()) && prev == null) {
      throw new StoreException(
          ErrorCode.NOT_FOUND,
          "key "
              + RequestValidator.printable(p.getKey())
              + " not found: ignore_value and ignore_lease need an existing key",
          ErrorReason.KEY_NOT_FOUND);
    }
    if (p.getLease() != 0) {
      LeaseRecord lease = LeaseTable.get(ctx.batch, p.getLease());
      if (lease == null) {
        throw StoreException.leaseNotFound(p.getLease(), " (expired or revoked); grant a new one");
      }
    }
  }

  DeleteRangeResponse deleteRange(DeleteRangeRequest d) {
    locks.fenceToken(d.hasFence() ? d.getFence() : null);
    return deleteUnfenced(d);
  }

  private DeleteRangeResponse deleteUnfenced(DeleteRangeRequest d) {
    List<KeyValue> victims = new ArrayList<>();
    ctx.reader.scan(
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
      ctx.writer.delete(kv);
    }
    DeleteRangeResponse.Builder out =
        DeleteRangeResponse.newBuilder()
            .setHeader(header(ctx.responseRevision()))
            .setDeleted(victims.size());
    if (d.getPrevKv()) {
      out.addAllPrevKvs(victims);
    }
    return out.build();
  }

  /**
   * Evaluates the compares, then checks every op of the chosen branch before the first write, so a
   * refused txn writes nothing.
   */
  TxnResponse txn(TxnRequest t) {
    long token = locks.fenceToken(t.hasFence() ? t.getFence() : null);
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
        checkPut(op.getRequestPut(), ctx.reader.get(op.getRequestPut().getKey(), LATEST));
      } else if (op.hasRequestRange()) {
        readRevision(op.getRequestRange().getRevision());
      }
    }
    TxnResponse.Builder out = TxnResponse.newBuilder().setSucceeded(succeeded);
    for (RequestOp op : ops) {
      ResponseOp.Builder r = ResponseOp.newBuilder();
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> r.setResponseRange(txnRange(op.getRequestRange()));
        case REQUEST_PUT -> r.setResponsePut(put(op.getRequestPut(), token));
        case REQUEST_DELETE_RANGE ->
            r.setResponseDeleteRange(deleteUnfenced(op.getRequestDeleteRange()));
        default -> throw new IllegalStateException("unchecked op " + op);
      }
      out.addResponses(r);
    }
    return out.setHeader(header(ctx.responseRevision())).build();
  }

  private RangeResponse txnRange(RangeRequest r) {
    long rev = readRevision(r.getRevision());
    return ctx.reader.range(r, rev).setHeader(header(ctx.responseRevision())).build();
  }

  /** The revision to read at inside apply: latest for 0, else a checked past revision. */
  private long readRevision(long requested) {
    if (requested == 0) {
      return LATEST;
    }
    Store.checkReadable(requested, ctx.writer.revision(), ctx.meta().compactRevision());
    return requested;
  }

  private boolean holds(Compare c) {
    List<KeyValue> kvs = new ArrayList<>();
    ctx.reader.scan(c.getKey(), c.getRangeEnd(), LATEST, kvs::add);
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

  CompactionResponse compact(long revision) {
    Meta meta = ctx.meta();
    if (revision <= meta.compactRevision()) {
      throw new StoreException(
          ErrorCode.OUT_OF_RANGE,
          "revision "
              + revision
              + " has already been compacted (compact revision "
              + meta.compactRevision()
              + ")",
          ErrorReason.COMPACTED);
    }
    if (revision > ctx.writer.revision()) {
      throw StoreException.futureRevision(revision, ctx.writer.revision());
    }
    Compactor.compact(ctx.batch, revision);
    ctx.meta(meta.withCompactRevision(revision));
    audit.write(
        AuditRecord.newBuilder()
            .setAction("compact")
            .setReason("history before revision " + revision + " discarded")
            .setSubject("revision " + revision));
    return CompactionResponse.newBuilder().setHeader(header(ctx.responseRevision())).build();
  }
}
