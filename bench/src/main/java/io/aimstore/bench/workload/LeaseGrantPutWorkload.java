package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.EphemeralDriver;
import io.aimstore.bench.driver.EphemeralSession;
import io.aimstore.bench.driver.LeaseDriver;
import io.aimstore.bench.load.Pipelined;
import io.aimstore.bench.load.RunStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Grant a lease, then put a key on it — one operation, {@code inFlight} outstanding, each on a key
 * of its own. aimstore and etcd: two round trips (grant, put with the lease). ZooKeeper has no
 * leases apart from sessions, and a session per operation is far heavier than a grant: its stand-in
 * is the create of an ephemeral znode, all on one shared session (one round trip). After the window
 * every lease is revoked (ZooKeeper: the session closed), so nothing expires later under another
 * workload.
 */
public final class LeaseGrantPutWorkload extends Workload {
  /** Long enough that nothing expires before the clean-up revokes it. */
  private static final Duration LEASE_TTL = Duration.ofSeconds(120);

  private final AtomicInteger runs = new AtomicInteger();

  public LeaseGrantPutWorkload(String id, int inFlight) {
    super(
        id,
        "lease grant + put with the lease, " + inFlight + " in flight",
        inFlight,
        Schedule.ONCE_PER_SET,
        LeaseDriver.class,
        EphemeralDriver.class);
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    // plus revoking what was granted, at about the grant rate
    return settle.plus(measure).multipliedBy(2).plusSeconds(1);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    String prefix = String.format("%s/l%03d-", KeySpace.NAMESPACE, runs.incrementAndGet());
    byte[] value = ctx.keys().value();
    Map<String, Object> extras = new LinkedHashMap<>();
    RunStats stats;
    if (ctx.driver() instanceof LeaseDriver leases) {
      ConcurrentLinkedQueue<Long> granted = new ConcurrentLinkedQueue<>();
      try {
        stats =
            closedLoop(
                ctx,
                settle,
                measure,
                (slot, seq) ->
                    leases
                        .grant(LEASE_TTL)
                        .thenCompose(
                            lease -> {
                              granted.add(lease);
                              return leases.put(prefix + seq, value, lease);
                            }));
      } finally {
        List<Long> all = List.copyOf(granted);
        Pipelined.Result<Void> r =
            Pipelined.run(all.size(), 256, Duration.ofMinutes(3), i -> leases.revoke(all.get(i)));
        extras.put("leases_revoked_after", r.succeeded());
        extras.put("revoke_failures", r.failed());
      }
    } else {
      EphemeralDriver ephemerals = (EphemeralDriver) ctx.driver();
      try (EphemeralSession session = ephemerals.openEphemeralSession()) {
        stats =
            closedLoop(ctx, settle, measure, (slot, seq) -> session.create(prefix + seq, value));
      }
    }
    return new WorkloadResult(stats, extras);
  }
}
