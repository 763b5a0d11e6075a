package io.aimstore.server.core;

import io.aimstore.internal.ProposalId;
import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Reader;
import io.aimstore.server.storage.Table;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The proposal ids of the log entries applied in the last {@link #WINDOW} log indexes, so that a
 * proposal appended to the log twice is applied once.
 *
 * <p>Why a proposal can be appended twice: a leader that steps down answers "not leader" to every
 * pending request, including entries it already replicated to a majority, which the next leader
 * then commits; the proposer cannot tell the two cases apart and sends the entry again. Both copies
 * carry the same {@link ProposalId}; the second is skipped here.
 *
 * <p>The ids live in {@link Table#PROPOSALS} (log index → id), written and pruned in each entry's
 * own batch, so every member makes the same decision at the same index — after a restart and after
 * installing a snapshot too. A second copy can only be appended while the proposing member still
 * forwards the proposal (a bounded number of attempts, each at most the request timeout); the log
 * would have to grow by {@link #WINDOW} entries in that time for the copy to go unrecognised.
 */
final class AppliedProposals {
  /** How many log indexes back a proposal id is remembered. */
  static final long WINDOW = 100_000;

  /** Id → log index, in log order (apply is in log order). */
  private final LinkedHashMap<Key, Long> indexById = new LinkedHashMap<>();

  private record Key(long origin, long sequence) {
    static Key of(ProposalId id) {
      return new Key(id.getOrigin(), id.getSequence());
    }
  }

  /** Loads the remembered ids. */
  static AppliedProposals load(Reader reader) {
    AppliedProposals p = new AppliedProposals();
    try (Cursor c = reader.cursor(Table.PROPOSALS)) {
      for (c.seekToFirst(); c.isValid(); c.next()) {
        byte[] v = c.value();
        p.indexById.put(new Key(Keys.getLong(v, 0), Keys.getLong(v, 8)), Keys.getLong(c.key(), 0));
      }
    }
    return p;
  }

  /**
   * The log index at which a proposal with this id was applied, or 0 if none was within the window.
   */
  long appliedAt(ProposalId id) {
    Long index = indexById.get(Key.of(id));
    return index == null ? 0 : index;
  }

  /**
   * Writes to {@code batch} that the entry at {@code index} carried {@code id} (null: none) and
   * forgets the ids that fell out of the window. The returned step updates this object: run it once
   * the batch is committed.
   */
  Runnable record(Batch batch, long index, ProposalId id) {
    Key added = id == null ? null : Key.of(id);
    if (added != null) {
      byte[] v = new byte[16];
      Keys.putLong(v, 0, added.origin());
      Keys.putLong(v, 8, added.sequence());
      batch.put(Table.PROPOSALS, Keys.ofLong(index), v);
    }
    int expired = 0;
    for (long old : indexById.values()) {
      if (old > index - WINDOW) {
        break;
      }
      batch.delete(Table.PROPOSALS, Keys.ofLong(old));
      expired++;
    }
    int toRemove = expired;
    return () -> {
      Iterator<Long> it = indexById.values().iterator();
      for (int i = 0; i < toRemove; i++) {
        it.next();
        it.remove();
      }
      if (added != null) {
        indexById.put(added, index);
      }
    };
  }

  /** How many ids are remembered. */
  int size() {
    return indexById.size();
  }
}
