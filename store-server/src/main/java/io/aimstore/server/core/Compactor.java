package io.aimstore.server.core;

import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Discards history before a revision R. For every key changed before R it keeps the version current
 * at R (unless that is a tombstone) and deletes the older ones; the event log before R goes too.
 * The work is proportional to the revisions being compacted, not to the keyspace:
 *
 * <pre>
 *   "a": v3 v5 v9            compact(8) → "a": v5 v9   (v5 is "a" as of 8)
 *   "b": v4 v6(tombstone)    compact(8) → "b": nothing (deleted as of 8)
 * </pre>
 *
 * <p>What it deletes leaves no trail for later reads to walk through. A RocksDB point delete is a
 * tombstone that every seek landing before it steps over, one by one, until RocksDB compacts its
 * files: a lock claim rewritten 50,000 times and then compacted made each later lookup of the lock
 * step over 50,000 tombstones (milliseconds per lock operation). So the history of the event log
 * before R goes with one range deletion, and so does every run of deleted versions that lie next to
 * each other in table KV — the old versions of one key, and the versions of neighbouring keys that
 * are deleted entirely ("b" above, and "c" if nothing lies between them). A read that lands in such
 * a run moves past it in one step. A run of one version is a point delete (as cheap to step over).
 */
final class Compactor {
  private Compactor() {}

  static void compact(Batch batch, long revision) {
    TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
    try (Cursor c = batch.cursor(Table.EVENTS)) {
      for (c.seekToFirst(); c.isValid() && Keys.eventRevision(c.key()) < revision; c.next()) {
        keys.add(Keys.escape(c.value()));
      }
    }
    batch.deleteRange(Table.EVENTS, Keys.event(0, 0), Keys.event(revision, 0));
    Runs runs = new Runs();
    try (Cursor c = batch.cursor(Table.KV)) {
      for (byte[] escaped : keys) {
        c.seekForPrev(Keys.version(escaped, revision));
        if (!c.isValid() || !isVersionOf(c.key(), escaped)) {
          continue;
        }
        long keep = Keys.revisionOf(c.key());
        // A tombstone at exactly R stays: a watch from R still replays that delete.
        boolean keepGoesToo = KeyspaceReader.parse(c.value()).getTombstone() && keep != revision;
        long end = keepGoesToo ? keep + 1 : keep; // versions [0, end) go
        c.seek(Keys.version(escaped, 0));
        if (!c.isValid() || Keys.revisionOf(c.key()) >= end || !isVersionOf(c.key(), escaped)) {
          continue;
        }
        byte[] first = c.key();
        if (!runs.continues(first)) {
          runs.flush();
          runs.start(first);
        }
        for (; c.isValid() && isVersionOf(c.key(), escaped); c.next()) {
          if (Keys.revisionOf(c.key()) >= end) {
            break;
          }
          runs.extend(c.key());
        }
        // The run may go on into the next compacted key only if nothing lies between the two.
        runs.nextVisible(c.isValid() ? c.key() : null);
      }
    }
    runs.flush();
    runs.write(batch); // only now: the cursor above must not see the batch change under it
  }

  private static boolean isVersionOf(byte[] versionKey, byte[] escaped) {
    return versionKey.length == escaped.length + Keys.REVISION_BYTES
        && Keys.startsWith(versionKey, escaped);
  }

  /** Deleted versions that lie next to each other in table KV, written out as one deletion. */
  private static final class Runs {
    private final List<Run> closed = new ArrayList<>();

    private byte[] first;
    private byte[] last;
    private long count;
    private byte[] nextVisible;

    private record Run(byte[] first, byte[] last, long count) {}

    /** The next entry after the run that is not deleted (null: none up to the table's end). */
    void nextVisible(byte[] key) {
      nextVisible = key;
    }

    /** Whether a run starting at {@code key} directly follows the open one. */
    boolean continues(byte[] key) {
      return first != null && nextVisible != null && Arrays.equals(nextVisible, key);
    }

    void start(byte[] key) {
      first = key;
      count = 0;
    }

    void extend(byte[] key) {
      last = key;
      count++;
    }

    void flush() {
      if (first == null) {
        return;
      }
      closed.add(new Run(first, last, count));
      first = null;
    }

    void write(Batch batch) {
      for (Run r : closed) {
        if (r.count() == 1) {
          batch.delete(Table.KV, r.first());
        } else {
          batch.deleteRange(Table.KV, r.first(), successor(r.last()));
        }
      }
    }

    /** The smallest key after {@code key}. */
    private static byte[] successor(byte[] key) {
      return Arrays.copyOf(key, key.length + 1);
    }
  }
}
