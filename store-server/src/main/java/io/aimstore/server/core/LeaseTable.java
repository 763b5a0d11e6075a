package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Reader;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Leases and the keys attached to them. Table LEASES maps id → {@link LeaseRecord}; table
 * LEASE_KEYS holds {@code id + user key} for each attached key, so revoking a lease finds its keys
 * with one prefix scan.
 */
final class LeaseTable {
  private LeaseTable() {}

  static LeaseRecord get(Reader reader, long id) {
    byte[] v = reader.get(Table.LEASES, Keys.ofLong(id));
    return v == null ? null : parse(v);
  }

  static void put(Batch batch, LeaseRecord record) {
    batch.put(Table.LEASES, Keys.ofLong(record.getId()), record.toByteArray());
  }

  static void delete(Batch batch, long id) {
    batch.delete(Table.LEASES, Keys.ofLong(id));
  }

  static void attach(Batch batch, long id, ByteString key) {
    batch.put(Table.LEASE_KEYS, Keys.concat(Keys.ofLong(id), key.toByteArray()), new byte[0]);
  }

  static void detach(Batch batch, long id, ByteString key) {
    batch.delete(Table.LEASE_KEYS, Keys.concat(Keys.ofLong(id), key.toByteArray()));
  }

  /** The keys attached to lease {@code id}, in key order, at most {@code max} of them. */
  static List<ByteString> keys(Reader reader, long id, int max) {
    byte[] prefix = Keys.ofLong(id);
    List<ByteString> keys = new ArrayList<>();
    try (Cursor c = reader.cursor(Table.LEASE_KEYS)) {
      for (c.seek(prefix); c.isValid() && keys.size() < max; c.next()) {
        byte[] k = c.key();
        if (!Keys.startsWith(k, prefix)) {
          break;
        }
        keys.add(ByteString.copyFrom(Arrays.copyOfRange(k, prefix.length, k.length)));
      }
    }
    return keys;
  }

  /** Number of keys attached to lease {@code id}. */
  static long keyCount(Reader reader, long id) {
    byte[] prefix = Keys.ofLong(id);
    long n = 0;
    try (Cursor c = reader.cursor(Table.LEASE_KEYS)) {
      for (c.seek(prefix); c.isValid() && Keys.startsWith(c.key(), prefix); c.next()) {
        n++;
      }
    }
    return n;
  }

  /** Leases with id greater than {@code afterId}, in id order, at most {@code max}. */
  static List<LeaseRecord> list(Reader reader, long afterId, int max) {
    List<LeaseRecord> out = new ArrayList<>();
    try (Cursor c = reader.cursor(Table.LEASES)) {
      for (c.seek(Keys.ofLong(afterId + 1)); c.isValid() && out.size() < max; c.next()) {
        out.add(parse(c.value()));
      }
    }
    return out;
  }

  private static LeaseRecord parse(byte[] v) {
    try {
      return LeaseRecord.parseFrom(v);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt lease record", e);
    }
  }
}
