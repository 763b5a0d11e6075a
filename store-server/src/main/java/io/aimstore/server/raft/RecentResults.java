package io.aimstore.server.raft;

import io.aimstore.internal.ProposalId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replies of the last {@link #CAPACITY} applied proposals, by proposal id, so that the member
 * that applies a second copy of a proposal (see {@code core.AppliedProposals}) can answer its
 * proposer with what the first copy did. Memory only and never replicated: a member that restarted
 * in between answers "result unknown" instead. Used from the apply thread only.
 */
final class RecentResults {
  static final int CAPACITY = 8192;

  private final Map<ProposalId, byte[]> replies =
      new LinkedHashMap<>(CAPACITY * 2) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ProposalId, byte[]> eldest) {
          return size() > CAPACITY;
        }
      };

  void put(ProposalId id, byte[] reply) {
    replies.put(id, reply);
  }

  /** The reply of the proposal's first copy, or null if it is no longer (or never was) here. */
  byte[] get(ProposalId id) {
    return replies.get(id);
  }
}
