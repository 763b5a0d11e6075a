package io.aimstore.server.raft;

import java.time.Duration;

/**
 * How the leader expires leases.
 *
 * @param checkInterval how often the leader looks for leases past their deadline
 * @param maxExpiriesPerCheck at most this many leases are expired per check (the oldest first), so
 *     that thousands of simultaneous expiries are spread over several checks instead of one
 *     stalling burst
 * @param checkpointInterval how often the remaining TTL of a silent lease (no keep-alive for half
 *     its TTL, or checkpointed before the last election) is recorded through the log
 * @param promoteGrace added to every lease's deadline when this member becomes leader: a deposed
 *     leader may still acknowledge keep-alives until it notices (at most an election timeout), and
 *     the new leader never saw those
 */
public record LessorSettings(
    Duration checkInterval,
    int maxExpiriesPerCheck,
    Duration checkpointInterval,
    Duration promoteGrace) {
  public static final LessorSettings DEFAULT =
      new LessorSettings(Duration.ofMillis(100), 500, Duration.ofSeconds(1), Duration.ofSeconds(1));

  /** The defaults with a grace of one maximum election timeout. */
  public static LessorSettings forElectionTimeout(Duration electionTimeoutMax) {
    return new LessorSettings(
        DEFAULT.checkInterval(),
        DEFAULT.maxExpiriesPerCheck(),
        DEFAULT.checkpointInterval(),
        electionTimeoutMax);
  }
}
