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
 */
public record LessorSettings(
    Duration checkInterval, int maxExpiriesPerCheck, Duration checkpointInterval) {
  public static final LessorSettings DEFAULT =
      new LessorSettings(Duration.ofMillis(100), 500, Duration.ofSeconds(1));
}
