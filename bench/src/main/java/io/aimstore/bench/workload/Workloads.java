package io.aimstore.bench.workload;

import io.aimstore.bench.driver.ReadConsistency;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The workloads, in the order they run on each set of clusters: the load windows first, then
 * leases, locks and watches, then (on the last set only) the catch-up, the fault workloads and the
 * footprint, which restarts every member.
 */
public final class Workloads {
  private Workloads() {}

  public static List<Workload> all() {
    return List.of(
        new PutWorkload("put-latency", 1),
        new PutWorkload("put-throughput-64", 64),
        new PutWorkload("put-throughput-256", 256),
        new GetWorkload("get-linearizable-64", ReadConsistency.LINEARIZABLE, 64),
        new GetWorkload("get-serializable-64", ReadConsistency.SERIALIZABLE, 64),
        new CasWorkload("cas-64", 64),
        // first of the new ones: before the lease, lock and watch loads leave garbage behind
        new WatchIdleMemoryWorkload("watch-idle-memory-10k", 10_000),
        new LeaseGrantPutWorkload("lease-grant-put-64", 64),
        new KeepAliveWorkload("lease-keepalive-10k"),
        new LockWorkload("lock-1", 1),
        new LockWorkload("lock-16", 16),
        new WatchLatencyWorkload("watch-1000", 1_000),
        new WatchLatencyWorkload("watch-10000", 10_000),
        new WatchCatchUpWorkload("watch-catchup"),
        new GhostLockWorkload("ghost-lock"),
        new SessionExpiryWorkload("session-expiry-3s", 3),
        new SessionExpiryWorkload("session-expiry-10s", 10),
        new FailoverWorkload("failover"),
        new FootprintWorkload("footprint"));
  }

  /** The workloads whose id is in {@code ids} (all when empty), in run order. */
  public static List<Workload> select(Set<String> ids) {
    List<Workload> out = new ArrayList<>();
    for (Workload w : all()) {
      if (ids.isEmpty() || ids.contains(w.id())) {
        out.add(w);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no workload matches " + ids);
    }
    return out;
  }
}
