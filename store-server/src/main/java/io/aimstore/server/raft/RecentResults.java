package io.aimstore.server.raft;

import io.aimstore.internal.ProposalId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replies of the last {@link #CAPACITY} applied proposals, by proposal id, so that the member
 * that applies a second copy of a proposal (see {@code core.AppliedProposals}) can answer its
 * proposer with what the first copy did. Memory only and never replicated: a member that restarted
 * in between, or a reply larger than {@link #MAX_REPLY_BYTES}, answers "result unknown" instead.
 * Used from the apply thread only.
 */
final class RecentResults {
  static final int CAPACITY = 8192;

  /** Larger replies (ranges in a transaction) are not kept: at most 512 MiB in the worst case. */
  static final int MAX_REPLY_BYTES = 64 << 10;

  private record Key(long origin, long sequence) {
    static Key of(ProposalId id) {
      return new Key(id.getOrigin(), id.getSequence());
    }
  }

  private final Map<Key, byte[]> replies =
      new LinkedHashMap<>(CAPACITY * 2) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
          return size() > CAPACITY;
        }
      };

  void put(ProposalId id, byte[] reply) {
    if (reply.length <= MAX_REPLY_BYTES) {
      replies.put(Key.of(id), reply);
    }
  }

  /** The reply of the proposal's first copy, or null if it is not (or never was) here. */
  byte[] get(ProposalId id) {
    return replies.get(Key.of(id));
  }
}
