package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.LeaseGrantRequest;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.ErrorReason;
import io.aimstore.internal.LockAcquire;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks of a request's size and shape that need no state. The api layer runs them before a request
 * reaches the log; apply runs the state-dependent rest. Each failure says which limit or rule was
 * broken.
 */
public final class RequestValidator {
  private static final int MAX_LOCK_NAME_CHARS = 512;
  private static final ByteString RESERVED = LockTable.utf8(Limits.RESERVED_PREFIX);

  private final Limits limits;

  public RequestValidator(Limits limits) {
    this.limits = limits;
  }

  public Limits limits() {
    return limits;
  }

  public void checkRange(RangeRequest r) {
    checkKey(r.getKey(), true);
    if (r.getLimit() < 0) {
      throw StoreException.invalid("limit must be >= 0, got " + r.getLimit());
    }
    if (r.getRevision() < 0) {
      throw StoreException.invalid("revision must be >= 0, got " + r.getRevision());
    }
    if (r.getMinModRevision() < 0
        || r.getMaxModRevision() < 0
        || r.getMinCreateRevision() < 0
        || r.getMaxCreateRevision() < 0) {
      throw StoreException.invalid("min/max mod and create revisions must be >= 0");
    }
  }

  public void checkPut(PutRequest p) {
    checkKey(p.getKey(), false);
    checkWritable(p.getKey());
    if (p.getValue().size() > limits.maxValueBytes()) {
      throw StoreException.invalid(
          ErrorReason.REQUEST_TOO_LARGE,
          "value is "
              + p.getValue().size()
              + " bytes; the limit is "
              + limits.maxValueBytes()
              + " bytes (max value size)");
    }
    if (p.getIgnoreValue() && !p.getValue().isEmpty()) {
      throw StoreException.invalid(
          ErrorReason.VALUE_PROVIDED, "ignore_value is set, so value must be empty");
    }
    if (p.getIgnoreLease() && p.getLease() != 0) {
      throw StoreException.invalid(
          ErrorReason.LEASE_PROVIDED, "ignore_lease is set, so lease must be 0");
    }
    if (p.getLease() < 0) {
      throw StoreException.invalid("lease id must be >= 0, got " + p.getLease());
    }
    checkFence(p.hasFence() ? p.getFence() : null);
  }

  public void checkDeleteRange(DeleteRangeRequest d) {
    checkKey(d.getKey(), d.getRangeEnd().isEmpty() ? false : true);
    if (d.getRangeEnd().isEmpty()) {
      checkWritable(d.getKey());
    }
    checkFence(d.hasFence() ? d.getFence() : null);
  }

  public void checkTxn(TxnRequest t) {
    if (t.getCompareCount() > limits.maxTxnOps()) {
      throw StoreException.invalid(
          ErrorReason.TOO_MANY_OPS,
          "txn has " + t.getCompareCount() + " compares; the limit is " + limits.maxTxnOps());
    }
    for (Compare c : t.getCompareList()) {
      checkKey(c.getKey(), false);
    }
    checkOps("success", t.getSuccessList());
    checkOps("failure", t.getFailureList());
    checkFence(t.hasFence() ? t.getFence() : null);
  }

  private void checkOps(String branch, List<RequestOp> ops) {
    if (ops.size() > limits.maxTxnOps()) {
      throw StoreException.invalid(
          ErrorReason.TOO_MANY_OPS,
          "txn "
              + branch
              + " branch has "
              + ops.size()
              + " operations; the limit is "
              + limits.maxTxnOps()
              + " (max txn ops)");
    }
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> checkRange(op.getRequestRange());
        case REQUEST_PUT -> {
          checkPut(op.getRequestPut());
          if (op.getRequestPut().hasFence()) {
            throw StoreException.invalid("a fence guards the whole txn: set TxnRequest.fence");
          }
        }
        case REQUEST_DELETE_RANGE -> {
          checkDeleteRange(op.getRequestDeleteRange());
          if (op.getRequestDeleteRange().hasFence()) {
            throw StoreException.invalid("a fence guards the whole txn: set TxnRequest.fence");
          }
        }
        default -> throw StoreException.invalid("txn " + branch + " branch has an empty op");
      }
    }
    checkNoOverlap(ops);
  }

  /** A txn may not write a key twice, nor put a key that it also deletes (etcd's rule). */
  static void checkNoOverlap(List<RequestOp> ops) {
    List<ByteString> puts = new ArrayList<>();
    List<DeleteRangeRequest> deletes = new ArrayList<>();
    for (RequestOp op : ops) {
      if (op.hasRequestPut()) {
        ByteString k = op.getRequestPut().getKey();
        if (puts.contains(k)) {
          throw StoreException.invalid(
              ErrorReason.DUPLICATE_KEY, "txn puts key " + printable(k) + " twice");
        }
        puts.add(k);
      } else if (op.hasRequestDeleteRange()) {
        deletes.add(op.getRequestDeleteRange());
      }
    }
    for (DeleteRangeRequest d : deletes) {
      for (ByteString k : puts) {
        if (KeyRanges.contains(d.getKey(), d.getRangeEnd(), k)) {
          throw StoreException.invalid(
              ErrorReason.DUPLICATE_KEY, "txn both puts and deletes key " + printable(k));
        }
      }
    }
  }

  public void checkCompaction(long revision) {
    if (revision <= 0) {
      throw StoreException.invalid("compaction revision must be > 0, got " + revision);
    }
  }

  public void checkLeaseGrant(LeaseGrantRequest g) {
    long min = limits.minLeaseTtl().toSeconds();
    long max = limits.maxLeaseTtl().toSeconds();
    if (g.getTtl() < min || g.getTtl() > max) {
      throw StoreException.invalid(
          ErrorReason.LEASE_TTL_OUT_OF_RANGE,
          "lease TTL must be between " + min + " and " + max + " seconds, got " + g.getTtl());
    }
    if (g.getId() < 0) {
      throw StoreException.invalid("lease id must be >= 0, got " + g.getId());
    }
    checkOwner(g.hasOwner() ? g.getOwner() : null);
  }

  /**
   * Label of an owner recorded by a compatible API whose clients do not send their process
   * (etcd's): the value names the API, e.g. {@code etcd-v3}; such an owner may leave pid at 0 and
   * names the client's connection in label {@link #PEER_LABEL} instead.
   */
  public static final String API_LABEL = "api";

  /** Label naming the client connection (ip:port) a lease was granted over. */
  public static final String PEER_LABEL = "peer";

  /**
   * Every lease names who holds it: at least a name, a host and a pid (or, for an owner recorded by
   * a compatible API, the connection it came from).
   */
  public static void checkOwner(Owner o) {
    boolean viaApi =
        o != null
            && o.getLabelsMap().containsKey(API_LABEL)
            && !o.getLabelsOrDefault(PEER_LABEL, "").isBlank();
    if (o == null
        || o.getName().isBlank()
        || o.getHost().isBlank()
        || (o.getPid() <= 0 && !viaApi)) {
      throw StoreException.invalid(
          "a lease needs its owner's identity: owner.name, owner.host and owner.pid (> 0) are"
              + " required");
    }
  }

  /**
   * A claim on a lock: a valid name and a lease (so the claim goes when its holder does); an
   * etcd-style claim key must also be a key a put could write.
   */
  public void checkLockAcquire(LockAcquire a) {
    checkLockName(a.getName());
    if (a.getLease() <= 0) {
      throw StoreException.invalid(
          "a lock must be held on a lease (lease > 0): grant one or open a session, so the lock goes"
              + " when its holder does");
    }
    if (a.getStyle() == LockAcquire.Style.ETCD) {
      checkPut(
          PutRequest.newBuilder()
              .setKey(LockTable.etcdClaimKey(a.getName(), a.getLease()))
              .setValue(a.getValue())
              .setLease(a.getLease())
              .build());
    } else if (!a.getValue().isEmpty()) {
      throw StoreException.invalid("a claim of the store's own layout carries no value");
    }
  }

  public void checkLockName(String name) {
    if (name.isEmpty()) {
      throw StoreException.invalid("lock name is empty");
    }
    if (name.length() > MAX_LOCK_NAME_CHARS) {
      throw StoreException.invalid(
          "lock name is " + name.length() + " chars; the limit is " + MAX_LOCK_NAME_CHARS);
    }
    if (name.indexOf('\0') >= 0) {
      throw StoreException.invalid("lock name contains a NUL character");
    }
  }

  public void checkForceRelease(ForceReleaseRequest f) {
    checkLockName(f.getName());
    if (f.getReason().isBlank()) {
      throw StoreException.invalid("a force-release needs a reason (it goes into the audit log)");
    }
    if (f.getQuarantineMs() < 0) {
      throw StoreException.invalid("quarantine must be >= 0 ms, got " + f.getQuarantineMs());
    }
  }

  private void checkFence(Fence f) {
    if (f == null) {
      return;
    }
    checkLockName(f.getLock());
    if (f.getToken() <= 0) {
      throw StoreException.invalid("fence token must be > 0, got " + f.getToken());
    }
  }

  private void checkKey(ByteString key, boolean mayBeEmpty) {
    if (key.isEmpty() && !mayBeEmpty) {
      throw StoreException.invalid(ErrorReason.EMPTY_KEY, "key is empty");
    }
    if (key.size() > limits.maxKeyBytes()) {
      throw StoreException.invalid(
          ErrorReason.REQUEST_TOO_LARGE,
          "key is "
              + key.size()
              + " bytes; the limit is "
              + limits.maxKeyBytes()
              + " bytes (max key size)");
    }
  }

  private static void checkWritable(ByteString key) {
    if (AimKeys.isManaged(key)) {
      throw new StoreException(
          ErrorCode.PERMISSION_DENIED,
          "key "
              + printable(key)
              + " is managed by the Configs and Rollouts APIs (aimctl config, rollout, fleet);"
              + " only a drone's presence key under /aim/<fleet>/drones/ is written directly");
    }
    if (key.startsWith(RESERVED)) {
      throw new StoreException(
          ErrorCode.PERMISSION_DENIED,
          "keys under "
              + Limits.RESERVED_PREFIX
              + " are managed by the store (locks, audit); use the Lock API");
    }
  }

  static boolean isReserved(ByteString key) {
    return key.startsWith(RESERVED);
  }

  /** A key for messages: UTF-8 if it is printable, else hex. */
  public static String printable(ByteString key) {
    if (key.isValidUtf8()) {
      String s = key.toStringUtf8();
      if (s.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7F)) {
        return '"' + s + '"';
      }
    }
    StringBuilder sb = new StringBuilder("0x");
    for (byte b : key.toByteArray()) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }
}
