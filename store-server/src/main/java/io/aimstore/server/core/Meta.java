package io.aimstore.server.core;

import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Reader;
import io.aimstore.server.storage.Table;
import java.nio.charset.StandardCharsets;

/**
 * The store's counters, persisted in {@link Table#META} by every applied entry.
 *
 * @param revision the current revision: the number of keyspace-changing commands applied
 * @param compactRevision history before this revision is gone (0: nothing compacted)
 * @param nextLeaseId the id the next grant without an explicit id receives
 * @param timeMs the leader's time of the last applied entry (unix ms): apply never goes below it
 * @param nextAuditId the sequence number of the next audit record
 */
record Meta(long revision, long compactRevision, long nextLeaseId, long timeMs, long nextAuditId) {
  static final Meta INITIAL = new Meta(0, 0, 1, 0, 1);

  private static final byte[] REVISION = bytes("revision");
  private static final byte[] COMPACT_REVISION = bytes("compact_revision");
  private static final byte[] NEXT_LEASE_ID = bytes("next_lease_id");
  private static final byte[] TIME_MS = bytes("time_ms");
  private static final byte[] NEXT_AUDIT_ID = bytes("next_audit_id");

  static Meta read(Reader reader) {
    return new Meta(
        readLong(reader, REVISION, INITIAL.revision),
        readLong(reader, COMPACT_REVISION, INITIAL.compactRevision),
        readLong(reader, NEXT_LEASE_ID, INITIAL.nextLeaseId),
        readLong(reader, TIME_MS, INITIAL.timeMs),
        readLong(reader, NEXT_AUDIT_ID, INITIAL.nextAuditId));
  }

  void write(Batch batch) {
    batch.put(Table.META, REVISION, Keys.ofLong(revision));
    batch.put(Table.META, COMPACT_REVISION, Keys.ofLong(compactRevision));
    batch.put(Table.META, NEXT_LEASE_ID, Keys.ofLong(nextLeaseId));
    batch.put(Table.META, TIME_MS, Keys.ofLong(timeMs));
    batch.put(Table.META, NEXT_AUDIT_ID, Keys.ofLong(nextAuditId));
  }

  Meta withRevision(long r) {
    return new Meta(r, compactRevision, nextLeaseId, timeMs, nextAuditId);
  }

  Meta withCompactRevision(long r) {
    return new Meta(revision, r, nextLeaseId, timeMs, nextAuditId);
  }

  Meta withNextLeaseId(long id) {
    return new Meta(revision, compactRevision, id, timeMs, nextAuditId);
  }

  Meta withNextAuditId(long id) {
    return new Meta(revision, compactRevision, nextLeaseId, timeMs, id);
  }

  /** Advances the store's time to {@code ms}; an earlier time (a leader behind) leaves it. */
  Meta withTimeAtLeast(long ms) {
    return ms <= timeMs ? this : new Meta(revision, compactRevision, nextLeaseId, ms, nextAuditId);
  }

  private static long readLong(Reader reader, byte[] key, long dflt) {
    byte[] v = reader.get(Table.META, key);
    return v == null ? dflt : Keys.getLong(v, 0);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
