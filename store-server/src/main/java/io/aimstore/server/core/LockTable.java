package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.internal.ClaimRecord;
import io.aimstore.internal.LockRecord;
import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Reader;
import io.aimstore.server.storage.Table;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Locks as queues of claim keys in the keyspace, plus a small bookkeeping record per lock.
 *
 * <p>A claim on lock N by lease L is the key {@code /_aimstore/locks/N/<L as 16 hex digits>},
 * attached to L. The claim with the lowest create revision holds the lock; that revision is its
 * fencing token. A later claim always has a greater create revision, so tokens strictly increase
 * from one holder to the next. When a lease dies its claims are deleted with its other keys, in the
 * same revision, and the next claim in line holds the lock from that revision on:
 *
 * <pre>
 *   rev 10  claim N/…0007 (lease 7)   holder: 10
 *   rev 12  claim N/…0009 (lease 9)   holder: 10, waiters: 12
 *   rev 15  lease 7 expires           holder: 12   (a write fenced with token 10 now fails)
 * </pre>
 *
 * <p>A force-release deletes the holder's claim and may put a quarantine marker {@code
 * /_aimstore/quarantine/N} on a lease of its own; while the marker exists nobody holds N. When that
 * lease expires the marker goes and the first waiter holds N.
 *
 * <p>Table LOCKS keeps, per lock with claims, the current holder and since when, updated by {@link
 * #refresh} whenever a claim or marker of the lock changes.
 *
 * <p>etcd's lock and election recipes (etcdctl lock / elect, clientv3's Mutex and Election, the
 * v3lock and v3election services) queue keys {@code N/<lease in hex>} in the plain keyspace, each
 * attached to the lease its name spells. Such a key is a claim on lock N too: it is queued with the
 * store's own claims by create revision, so {@code aimctl lock show N} names its holder and its
 * create revision is a fencing token like any other. A key is such a claim exactly when it is
 * outside {@code /_aimstore/}, valid UTF-8, has a non-empty part before its last '/', and its last
 * segment is {@code Long.toHexString} of the lease it is attached to:
 *
 * <pre>
 *   rev 20  put "jobs/lock/1f" lease 0x1f   claim on "jobs/lock" (holder: 20)
 *   rev 21  claim /_aimstore/locks/jobs/lock/…0022 (lease 0x22)   holder: 20, waiters: 21
 *   rev 22  put "jobs/lock/x"                                    not a claim (no lease, not hex)
 * </pre>
 */
final class LockTable {
  static final String LOCKS_PREFIX = Limits.RESERVED_PREFIX + "locks/";
  static final String QUARANTINE_PREFIX = Limits.RESERVED_PREFIX + "quarantine/";
  private static final ByteString RESERVED = utf8(Limits.RESERVED_PREFIX);
  private static final int LEASE_HEX_DIGITS = 16;

  private LockTable() {}

  /** One queued claim. */
  record Claim(ByteString key, long token, long lease, ClaimRecord record) {}

  static ByteString claimKey(String name, long lease) {
    String hex = Long.toHexString(lease); // unsigned, no sign even for a negative id
    return utf8(LOCKS_PREFIX + name + "/" + "0".repeat(LEASE_HEX_DIGITS - hex.length()) + hex);
  }

  /** The claim key etcd's recipes use: {@code name/<lease in hex>}, in the plain keyspace. */
  static ByteString etcdClaimKey(String name, long lease) {
    return utf8(name + "/" + Long.toHexString(lease));
  }

  /**
   * The lock that {@code key}, attached to {@code lease}, claims in etcd's layout, or null if it is
   * no such claim (see the class comment).
   */
  static String etcdLockOf(ByteString key, long lease) {
    if (lease == 0 || !key.isValidUtf8() || key.startsWith(RESERVED)) {
      return null;
    }
    String k = key.toStringUtf8();
    int slash = k.lastIndexOf('/');
    if (slash <= 0 || !k.substring(slash + 1).equals(Long.toHexString(lease))) {
      return null;
    }
    return k.substring(0, slash);
  }

  static ByteString quarantineKey(String name) {
    return utf8(QUARANTINE_PREFIX + name);
  }

  /** The lock a claim or quarantine key belongs to, or null for any other key. */
  static String lockOf(ByteString key) {
    String k = key.toStringUtf8();
    if (k.startsWith(QUARANTINE_PREFIX)) {
      return k.substring(QUARANTINE_PREFIX.length());
    }
    if (!k.startsWith(LOCKS_PREFIX) || k.length() < LOCKS_PREFIX.length() + LEASE_HEX_DIGITS + 2) {
      return null;
    }
    int slash = k.length() - LEASE_HEX_DIGITS - 1;
    if (k.charAt(slash) != '/' || !isHex(k, slash + 1)) {
      return null;
    }
    return k.substring(LOCKS_PREFIX.length(), slash);
  }

  /**
   * The claims on lock {@code name}, the store's and etcd-style ones, in grant order (lowest token
   * first).
   */
  static List<Claim> claims(KeyspaceReader reader, long revision, String name) {
    List<Claim> claims = new ArrayList<>();
    ByteString prefix = utf8(LOCKS_PREFIX + name + "/");
    reader.scan(
        prefix,
        KeyRanges.prefixEnd(prefix),
        revision,
        kv -> {
          if (name.equals(lockOf(kv.getKey()))) {
            claims.add(
                new Claim(kv.getKey(), kv.getCreateRevision(), kv.getLease(), parseClaim(kv)));
          }
          return true;
        });
    ByteString etcdPrefix = utf8(name + "/");
    if (!etcdPrefix.startsWith(RESERVED)) {
      reader.scan(
          etcdPrefix,
          KeyRanges.prefixEnd(etcdPrefix),
          revision,
          kv -> {
            if (name.equals(etcdLockOf(kv.getKey(), kv.getLease()))) {
              claims.add(
                  new Claim(
                      kv.getKey(),
                      kv.getCreateRevision(),
                      kv.getLease(),
                      ClaimRecord.newBuilder().setLock(name).setLease(kv.getLease()).build()));
            }
            return true;
          });
    }
    claims.sort(Comparator.comparingLong(Claim::token));
    return claims;
  }

  /** Whether {@code key} is a claim the store manages (not an etcd-style one). */
  static boolean isStoreClaim(ByteString key) {
    return lockOf(key) != null && key.startsWith(utf8(LOCKS_PREFIX));
  }

  static LockRecord record(Reader reader, String name) {
    byte[] v = reader.get(Table.LOCKS, utf8(name).toByteArray());
    if (v == null) {
      return null;
    }
    try {
      return LockRecord.parseFrom(v);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt lock record", e);
    }
  }

  /** Lock records whose name starts with {@code prefix}, in name order. */
  static List<LockRecord> records(Reader reader, String prefix) {
    List<LockRecord> out = new ArrayList<>();
    byte[] p = utf8(prefix).toByteArray();
    try (Cursor c = reader.cursor(Table.LOCKS)) {
      for (c.seek(p); c.isValid() && Keys.startsWith(c.key(), p); c.next()) {
        try {
          out.add(LockRecord.parseFrom(c.value()));
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("corrupt lock record", e);
        }
      }
    }
    return out;
  }

  /**
   * Recomputes who holds lock {@code name} after its claims or marker changed, and records it.
   * Returns the change, or null if the holder is the same.
   */
  static LockChange refresh(
      Batch batch, KeyspaceReader reader, long revision, String name, long nowMs) {
    LockRecord old = record(batch, name);
    List<Claim> claims = claims(reader, revision, name);
    KeyValue marker = reader.get(quarantineKey(name), revision);
    Claim holder = marker != null || claims.isEmpty() ? null : claims.get(0);
    long oldToken = old == null ? 0 : old.getHolderToken();
    long newToken = holder == null ? 0 : holder.token();
    byte[] key = utf8(name).toByteArray();
    if (claims.isEmpty() && marker == null) {
      if (old != null) {
        batch.delete(Table.LOCKS, key);
      }
    } else {
      LockRecord.Builder r = old == null ? LockRecord.newBuilder().setName(name) : old.toBuilder();
      if (newToken != oldToken) {
        r.setHolderToken(newToken)
            .setHolderLease(holder == null ? 0 : holder.lease())
            .setAcquiredAtMs(holder == null ? 0 : nowMs);
      }
      if (marker == null) {
        r.setQuarantinedUntilMs(0).setQuarantineLease(0);
      }
      batch.put(Table.LOCKS, key, r.build().toByteArray());
    }
    return newToken == oldToken
        ? null
        : new LockChange(name, newToken, holder == null ? 0 : holder.lease());
  }

  private static ClaimRecord parseClaim(KeyValue kv) {
    try {
      return ClaimRecord.parseFrom(kv.getValue());
    } catch (InvalidProtocolBufferException e) {
      return ClaimRecord.getDefaultInstance();
    }
  }

  private static boolean isHex(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }
}
