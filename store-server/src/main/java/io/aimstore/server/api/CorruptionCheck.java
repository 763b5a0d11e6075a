package io.aimstore.server.api;

import io.aimstore.api.v1.CorruptionCheckResult;
import io.aimstore.api.v1.HashKVRequest;
import io.aimstore.api.v1.HashKVResponse;
import io.aimstore.api.v1.MaintenanceGrpc;
import io.aimstore.server.raft.MemberInfo;
import io.aimstore.server.raft.RaftNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's comparison of the members' keyspaces (etcd's corruption check). Every member applies
 * the same log, so at one revision every member's keyspace hash ({@link MaintenanceService#hashKV})
 * must be the same; a member whose disk or memory flipped a bit, or whose apply went wrong, hashes
 * differently.
 *
 * <p>One {@link #run} on the leader: ask every member for its current revision, take the lowest (so
 * every member that answered has applied it), ask every member for its hash at that revision and
 * compare each with the leader's. A member whose compact revision differs from the leader's (a
 * compaction applied between the two questions) or that did not answer is skipped this time. On a
 * difference: one error line naming the members, their hashes and the revision, and {@link
 * CorruptionAlarm#raise} for each member that differs from the leader. A member that is not the
 * leader does nothing.
 */
public final class CorruptionCheck {
  private static final Logger LOG = LoggerFactory.getLogger(CorruptionCheck.class);

  private final RaftNode raft;
  private final PeerChannels peers;
  private final MaintenanceService local;
  private final CorruptionAlarm alarm;
  private final LongSupplier wallClockMs;
  private final Duration timeout;
  private volatile CorruptionCheckResult last;

  /**
   * @param local this member's own hashes
   * @param timeout how long a member may take to answer one question
   */
  public CorruptionCheck(
      RaftNode raft,
      PeerChannels peers,
      MaintenanceService local,
      CorruptionAlarm alarm,
      LongSupplier wallClockMs,
      Duration timeout) {
    this.raft = raft;
    this.peers = peers;
    this.local = local;
    this.alarm = alarm;
    this.wallClockMs = wallClockMs;
    this.timeout = timeout;
  }

  /** The last check this member ran, if any. */
  public Optional<CorruptionCheckResult> last() {
    return Optional.ofNullable(last);
  }

  /**
   * Runs one check if this member leads.
   *
   * @return its result; empty when this member does not lead or could not hash its own keyspace
   */
  public Optional<CorruptionCheckResult> run() {
    if (!raft.isLeader()) {
      return Optional.empty();
    }
    String self = raft.selfName();
    List<String> names = raft.members().stream().map(MemberInfo::name).toList();
    Map<String, HashKVResponse> current = ask(names, 0);
    if (!current.containsKey(self)) {
      return Optional.empty();
    }
    long revision =
        current.values().stream().mapToLong(HashKVResponse::getRevision).min().orElseThrow();
    Map<String, HashKVResponse> at = ask(names, revision);
    HashKVResponse mine = at.get(self);
    if (mine == null) {
      return Optional.empty(); // compacted past it in the meantime: next time
    }
    CorruptionCheckResult.Builder result =
        CorruptionCheckResult.newBuilder()
            .setRevision(revision)
            .setCheckedAtMs(wallClockMs.getAsLong());
    for (String name : names) {
      if (name.equals(self)) {
        continue;
      }
      HashKVResponse theirs = at.get(name);
      if (theirs == null || theirs.getCompactRevision() != mine.getCompactRevision()) {
        result.addSkipped(name);
      } else if (theirs.getHash() == mine.getHash()) {
        result.addMatched(name);
      } else {
        result.addMismatched(name);
      }
    }
    if (result.getMismatchedCount() > 0) {
      LOG.error(
          "event=corruption_detected revision={} compact_revision={} leader={} differing={}"
              + " hashes={} (compare with 'aimctl check hash --revision {}'; rebuild the damaged"
              + " member: docs/operations.md, 'Corruption')",
          revision,
          mine.getCompactRevision(),
          self,
          String.join(",", result.getMismatchedList()),
          at.values().stream()
              .map(r -> r.getMember() + ":" + String.format("%08x", r.getHash()))
              .collect(Collectors.joining(",")),
          revision);
      for (String other : result.getMismatchedList()) {
        alarm.raise(self, other, revision);
      }
    } else {
      LOG.info(
          "event=corruption_check_passed revision={} matched={} skipped={}",
          revision,
          result.getMatchedCount(),
          String.join(",", result.getSkippedList()));
    }
    CorruptionCheckResult r = result.build();
    last = r;
    return Optional.of(r);
  }

  /** Every member's answer for {@code revision}, in parallel; members that fail are left out. */
  private Map<String, HashKVResponse> ask(List<String> names, long revision) {
    HashKVRequest req = HashKVRequest.newBuilder().setRevision(revision).build();
    Map<String, Future<HashKVResponse>> calls = new LinkedHashMap<>();
    for (String name : names) {
      if (!name.equals(raft.selfName())) {
        try {
          calls.put(
              name,
              MaintenanceGrpc.newFutureStub(peers.to(name))
                  .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                  .hashKV(req));
        } catch (RuntimeException e) {
          LOG.debug("event=corruption_check_skipped member={} error={}", name, e.toString());
        }
      }
    }
    Map<String, HashKVResponse> out = new HashMap<>();
    try {
      out.put(raft.selfName(), local.hash(revision));
    } catch (RuntimeException e) {
      LOG.debug("event=corruption_check_local_failed revision={} error={}", revision, e.toString());
    }
    for (Map.Entry<String, Future<HashKVResponse>> c : calls.entrySet()) {
      try {
        out.put(c.getKey(), c.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return out;
      } catch (Exception e) {
        c.getValue().cancel(true);
        LOG.debug(
            "event=corruption_check_skipped member={} revision={} error={}",
            c.getKey(),
            revision,
            e.toString());
      }
    }
    return out;
  }
}
