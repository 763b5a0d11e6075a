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
 */
record Meta(long revision, long compactRevision, long nextLeaseId) {
  static final Meta INITIAL = new Meta(0, 0, 1);

  private static final byte[] REVISION = bytes("revision");
  private static final byte[] COMPACT_REVISION = bytes("compact_revision");
  private static final byte[] NEXT_LEASE_ID = bytes("next_lease_id");

  static Meta read(Reader reader) {
    return new Meta(
        readLong(reader, REVISION, INITIAL.revision),
        readLong(reader, COMPACT_REVISION, INITIAL.compactRevision),
        readLong(reader, NEXT_LEASE_ID, INITIAL.nextLeaseId));
  }

  void write(Batch batch) {
    batch.put(Table.META, REVISION, Keys.ofLong(revision));
    batch.put(Table.META, COMPACT_REVISION, Keys.ofLong(compactRevision));
    batch.put(Table.META, NEXT_LEASE_ID, Keys.ofLong(nextLeaseId));
  }

  Meta withRevision(long r) {
    return new Meta(r, compactRevision, nextLeaseId);
  }

  Meta withCompactRevision(long r) {
    return new Meta(revision, r, nextLeaseId);
  }

  Meta withNextLeaseId(long id) {
    return new Meta(revision, compactRevision, id);
  }

  private static long readLong(Reader reader, byte[] key, long dflt) {
    byte[] v = reader.get(Table.META, key);
    return v == null ? dflt : Keys.getLong(v, 0);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
