package io.aimstore.server.raft;

import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.server.core.StorageQuota;
import io.aimstore.server.core.Store;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's storage quota ({@code quota-backend-bytes}), checked on a timer. It measures the
 * member's own store ({@link Store#sizeBytes()}: RocksDB's SST files plus its memtables — what the
 * keyspace occupies, not the Raft log), and:
 *
 * <ul>
 *   <li>over the quota, with no NOSPACE alarm of its own active, first has RocksDB flush its
 *       memtables and, still over, give back what it can ({@code Backend#reclaimSpace}: compact the
 *       files), so that the decision is taken on the bytes as they lie on disk, compressed, without
 *       deleted data; still over the quota, it raises one ({@link Alarms}), which refuses writes
 *       that can grow the store on every member;
 *   <li>with its alarm active, once history has been compacted since it last looked, reclaims the
 *       space again, so that the compacted history leaves the disk;
 *   <li>with its alarm active and the store below {@link #CLEAR_RATIO} of the quota, clears it. The
 *       gap between the two thresholds keeps a store hovering at the quota from raising and
 *       clearing on every check.
 * </ul>
 *
 * <p>Reclaiming compacts the whole store: on a large store it takes a while, which is why it runs
 * only when the store is over its quota or history was compacted under the alarm, on a thread of
 * its own. The member proposes its own raise and clear; like every proposal they go to the leader,
 * which puts them in the log. At most one proposal is in flight; a failed one is tried again next
 * tick.
 */
public final class QuotaMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaMonitor.class);

  /** The alarm clears below this share of the quota. */
  public static final double CLEAR_RATIO = 0.9;

  private final String self;
  private final long quotaBytes;
  private final AimStateMachine stateMachine;
  private final Alarms alarms;
  private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
  private long reclaimedAtCompactRevision = -1;

  /**
   * @param quotaBytes 0 for no quota (the check does nothing)
   */
  public QuotaMonitor(String self, long quotaBytes, AimStateMachine stateMachine, Alarms alarms) {
    this.self = self;
    this.quotaBytes = quotaBytes;
    this.stateMachine = stateMachine;
    this.alarms = alarms;
  }

  /** One check; the member's timer calls it every second. */
  public synchronized void tick() {
    if (quotaBytes <= 0 || !inFlight.isDone()) {
      return;
    }
    long size = stateMachine.read(Store::sizeBytes);
    if (size < 0) {
      return; // size unknown (RocksDB property unreadable): decide nothing
    }
    boolean active = alarms.active().isActive(AlarmType.NOSPACE, self);
    if (!active) {
      if (size > quotaBytes) {
        // memtables count their allocated memory, often twice the data: flush them first (cheap),
        // and compact only a store whose files alone are over the quota
        size =
            stateMachine.read(
                st -> {
                  st.backend().flush();
                  return st.sizeBytes();
                });
      }
      if (size > quotaBytes) {
        size = reclaim(size);
      }
      if (size > quotaBytes) {
        LOG.warn(
            "event=quota_exceeded member={} size_bytes={} quota_bytes={}", self, size, quotaBytes);
        inFlight =
            logFailure(
                "raise",
                alarms.raise(
                    Alarm.newBuilder()
                        .setAlarm(AlarmType.NOSPACE)
                        .setMember(self)
                        .setSizeBytes(size)
                        .setQuotaBytes(quotaBytes)
                        .setDetail(
                            "store "
                                + StorageQuota.size(size)
                                + " over the quota of "
                                + StorageQuota.size(quotaBytes))
                        .build()));
      }
      return;
    }
    if (stateMachine.read(Store::compactRevision) != reclaimedAtCompactRevision) {
      size = reclaim(size);
    }
    if (size >= 0 && size < clearBelow()) {
      LOG.info("event=quota_ok member={} size_bytes={} quota_bytes={}", self, size, quotaBytes);
      inFlight =
          logFailure(
              "clear",
              alarms.clear(
                  AlarmType.NOSPACE,
                  self,
                  "store "
                      + StorageQuota.size(size)
                      + " back under "
                      + Math.round(CLEAR_RATIO * 100)
                      + "% of the quota of "
                      + StorageQuota.size(quotaBytes)));
    }
  }

  /** A proposal that failed is proposed again at the next check; the log says why it failed. */
  private CompletableFuture<?> logFailure(String what, CompletableFuture<?> f) {
    return f.whenComplete(
        (r, err) -> {
          if (err != null) {
            LOG.warn("event=quota_alarm_{}_failed member={} error={}", what, self, err.toString());
          }
        });
  }

  /** Has RocksDB give back what deletions and compacted history free; returns the size after. */
  private long reclaim(long before) {
    long t0 = System.nanoTime();
    long[] compacted = new long[1];
    long after =
        stateMachine.read(
            s -> {
              compacted[0] = s.compactRevision();
              s.backend().reclaimSpace();
              return s.sizeBytes();
            });
    reclaimedAtCompactRevision = compacted[0];
    LOG.info(
        "event=space_reclaimed member={} compact_revision={} size_before={} size_after={}"
            + " took_ms={}",
        self,
        compacted[0],
        before,
        after,
        (System.nanoTime() - t0) / 1_000_000);
    return after;
  }

  private long clearBelow() {
    return (long) (quotaBytes * CLEAR_RATIO);
  }
}
