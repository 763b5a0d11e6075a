package io.aimstore.server.raft;

import java.time.Duration;

/**
 * Raft tuning of a member.
 *
 * @param electionTimeoutMin a follower that hears nothing from a leader for a random time between
 *     the two timeouts starts an election
 * @param electionTimeoutMax see {@code electionTimeoutMin}
 * @param snapshotThreshold take a snapshot after this many log entries, and purge the log up to
 *     this many entries before the snapshot (see {@code RaftNode})
 * @param requestTimeout how long a forwarded proposal waits for the leader
 * @param logSegmentBytes size at which a Raft log segment is closed (only closed segments are
 *     purged after a snapshot)
 * @param purgeGap purge the log only when its purge index moved this many entries since the last
 *     purge
 */
public record RaftSettings(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    long snapshotThreshold,
    Duration requestTimeout,
    long logSegmentBytes,
    int purgeGap) {
  public static final RaftSettings DEFAULT =
      new RaftSettings(
          Duration.ofMillis(500),
          Duration.ofMillis(1000),
          20_000,
          Duration.ofSeconds(5),
          32L << 20,
          1024);

  public RaftSettings withElectionTimeouts(Duration min, Duration max) {
    return new RaftSettings(min, max, snapshotThreshold, requestTimeout, logSegmentBytes, purgeGap);
  }

  public RaftSettings withSnapshotThreshold(long entries) {
    return new RaftSettings(
        electionTimeoutMin, electionTimeoutMax, entries, requestTimeout, logSegmentBytes, purgeGap);
  }

  public RaftSettings withLogRetention(long segmentBytes, int gap) {
    return new RaftSettings(
        electionTimeoutMin,
        electionTimeoutMax,
        snapshotThreshold,
        requestTimeout,
        segmentBytes,
        gap);
  }
}
