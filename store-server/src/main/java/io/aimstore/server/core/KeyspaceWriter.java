package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.internal.KeyRecord;
import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes new versions of keys inside one applied entry and hands out revisions. Writes of one
 * command share the <em>open</em> revision ({@code revision() + 1}); {@link #closeRevision()} makes
 * it current if anything was written, so revisions stay gap-free.
 */
final class KeyspaceWriter {
  /** Told of every key written or deleted. */
  interface ChangeListener {
    /**
     * @param leaseBefore the lease the key was attached to before (0 if none or new)
     * @param leaseAfter the lease it is attached to now (0 if none or deleted)
     */
    void changed(ByteString key, long leaseBefore, long leaseAfter);
  }

  private final Batch batch;
  private final ChangeListener onChange;
  private final List<Event> open = new ArrayList<>();
  private final List<RevisionEvents> closed = new ArrayList<>();
  private long revision;

  /**
   * @param revision the current revision
   * @param onChange told of every key written or deleted (the lock table follows its claims)
   */
  KeyspaceWriter(Batch batch, long revision, ChangeListener onChange) {
    this.batch = batch;
    this.revision = revision;
    this.onChange = onChange;
  }

  /** The current revision: the last one closed. */
  long revision() {
    return revision;
  }

  /** The revision the next write lands at. */
  long openRevision() {
    return revision + 1;
  }

  /** Writes {@code key} at the open revision. {@code prev} is its current version, or null. */
  KeyValue put(ByteString key, ByteString value, long lease, long fenceToken, KeyValue prev) {
    long rev = openRevision();
    KeyRecord record =
        KeyRecord.newBuilder()
            .setValue(value)
            .setCreateRevision(prev == null ? rev : prev.getCreateRevision())
            .setVersion(prev == null ? 1 : prev.getVersion() + 1)
            .setLease(lease)
            .setFenceToken(fenceToken)
            .build();
    byte[] escaped = Keys.escape(key.toByteArray());
    batch.put(Table.KV, Keys.version(escaped, rev), record.toByteArray());
    if (prev != null && prev.getLease() != 0 && prev.getLease() != lease) {
      LeaseTable.detach(batch, prev.getLease(), key);
    }
    if (lease != 0 && (prev == null || prev.getLease() != lease)) {
      LeaseTable.attach(batch, lease, key);
    }
    KeyValue kv = KeyspaceReader.toKeyValue(key, rev, record);
    record(key, Event.newBuilder().setType(Event.EventType.PUT).setKv(kv), prev, lease);
    return kv;
  }

  /** Deletes the key of {@code prev} (its current version) at the open revision. */
  void delete(KeyValue prev) {
    long rev = openRevision();
    ByteString key = prev.getKey();
    byte[] escaped = Keys.escape(key.toByteArray());
    batch.put(
        Table.KV,
        Keys.version(escaped, rev),
        KeyRecord.newBuilder().setTombstone(true).build().toByteArray());
    if (prev.getLease() != 0) {
      LeaseTable.detach(batch, prev.getLease(), key);
    }
    KeyValue kv = KeyValue.newBuilder().setKey(key).setModRevision(rev).build();
    record(key, Event.newBuilder().setType(Event.EventType.DELETE).setKv(kv), prev, 0);
  }

  private void record(ByteString key, Event.Builder event, KeyValue prev, long leaseAfter) {
    if (prev != null) {
      event.setPrevKv(prev);
    }
    batch.put(Table.EVENTS, Keys.event(openRevision(), open.size()), key.toByteArray());
    open.add(event.build());
    onChange.changed(key, prev == null ? 0 : prev.getLease(), leaseAfter);
  }

  /** Whether the open revision has writes. */
  boolean dirty() {
    return !open.isEmpty();
  }

  /** Ends a command: if it wrote anything, its revision becomes current. */
  void closeRevision() {
    if (!open.isEmpty()) {
      revision++;
      closed.add(new RevisionEvents(revision, open));
      open.clear();
    }
  }

  /** The events of every closed revision, in order. */
  List<RevisionEvents> events() {
    return closed;
  }
}
