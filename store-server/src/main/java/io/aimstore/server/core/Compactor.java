package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Discards history before a revision R. For every key changed before R it keeps the version current
 * at R (unless that is a tombstone) and deletes the older ones; the event log before R goes too.
 * The work is proportional to the revisions being compacted, not to the keyspace:
 *
 * <pre>
 *   "a": v3 v5 v9            compact(8) → "a": v5 v9   (v5 is "a" as of 8)
 *   "b": v4 v6(tombstone)    compact(8) → "b": nothing (deleted as of 8)
 * </pre>
 */
final class Compactor {
  private Compactor() {}

  static void compact(Batch batch, long revision) {
    Set<ByteString> keys = new LinkedHashSet<>();
    List<byte[]> eventKeys = new ArrayList<>();
    try (Cursor c = batch.cursor(Table.EVENTS)) {
      for (c.seekToFirst(); c.isValid() && Keys.eventRevision(c.key()) < revision; c.next()) {
        eventKeys.add(c.key());
        keys.add(ByteString.copyFrom(c.value()));
      }
    }
    for (byte[] k : eventKeys) {
      batch.delete(Table.EVENTS, k);
    }
    for (ByteString key : keys) {
      byte[] escaped = Keys.escape(key.toByteArray());
      List<byte[]> obsolete = new ArrayList<>();
      try (Cursor c = batch.cursor(Table.KV)) {
        c.seekForPrev(Keys.version(escaped, revision));
        if (!c.isValid() || !Keys.startsWith(c.key(), escaped)) {
          continue;
        }
        long keep = Keys.revisionOf(c.key());
        boolean tombstone = KeyspaceReader.parse(c.value()).getTombstone();
        for (c.seek(Keys.version(escaped, 0));
            c.isValid() && Keys.startsWith(c.key(), escaped);
            c.next()) {
          long rev = Keys.revisionOf(c.key());
          // A tombstone at exactly R stays: a watch from R still replays that delete.
          if (rev > keep || (rev == keep && (!tombstone || keep == revision))) {
            break;
          }
          obsolete.add(c.key());
        }
      }
      for (byte[] k : obsolete) {
        batch.delete(Table.KV, k);
      }
    }
  }
}
