package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.internal.KeyRecord;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Reader;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays the change history from the EVENTS table: what a watcher that fell behind, or that starts
 * in the past, receives. Every event is rebuilt from the key's version at that revision, with the
 * version before it as {@code prev_kv}.
 */
final class HistoryReader {
  private final Reader reader;
  private final KeyspaceReader keys;

  HistoryReader(Reader reader) {
    this.reader = reader;
    this.keys = new KeyspaceReader(reader);
  }

  /** Events read, and the last revision the read covered (inclusive). */
  record Chunk(List<RevisionEvents> revisions, long coveredUpTo) {}

  /**
   * The events of revisions {@code from..to} (inclusive) on keys in {@code [key, rangeEnd)},
   * grouped by revision in order. Stops early once {@code maxEvents} events are read, at a revision
   * boundary (a revision is never split); {@link Chunk#coveredUpTo()} says how far it got.
   */
  Chunk read(long from, long to, ByteString key, ByteString rangeEnd, int maxEvents) {
    List<RevisionEvents> out = new ArrayList<>();
    List<Event> current = new ArrayList<>();
    long currentRev = -1;
    long covered = to;
    int total = 0;
    try (Cursor c = reader.cursor(Table.EVENTS)) {
      for (c.seek(Keys.event(from, 0)); c.isValid(); c.next()) {
        long rev = Keys.eventRevision(c.key());
        if (rev > to) {
          break;
        }
        if (rev != currentRev) {
          if (!current.isEmpty()) {
            out.add(new RevisionEvents(currentRev, current));
            current = new ArrayList<>();
          }
          if (total >= maxEvents) {
            covered = currentRev;
            break;
          }
          currentRev = rev;
        }
        ByteString userKey = ByteString.copyFrom(c.value());
        if (!KeyRanges.contains(key, rangeEnd, userKey)) {
          continue;
        }
        current.add(event(userKey, rev));
        total++;
      }
    }
    if (!current.isEmpty()) {
      out.add(new RevisionEvents(currentRev, current));
    }
    return new Chunk(out, covered);
  }

  private Event event(ByteString key, long rev) {
    byte[] stored = reader.get(Table.KV, Keys.version(Keys.escape(key.toByteArray()), rev));
    KeyRecord record = stored == null ? null : KeyspaceReader.parse(stored);
    Event.Builder e = Event.newBuilder();
    if (record == null || record.getTombstone()) {
      e.setType(Event.EventType.DELETE)
          .setKv(KeyValue.newBuilder().setKey(key).setModRevision(rev));
    } else {
      e.setType(Event.EventType.PUT).setKv(KeyspaceReader.toKeyValue(key, rev, record));
    }
    KeyValue prev = rev > 1 ? keys.get(key, rev - 1) : null;
    if (prev != null) {
      e.setPrevKv(prev);
    }
    return e.build();
  }
}
