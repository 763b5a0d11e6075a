package io.aimstore.bench.workload;

import io.aimstore.bench.driver.CasOutcome;
import io.aimstore.bench.driver.ReadConsistency;
import io.aimstore.bench.load.RunStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Compare-and-set chains: each in-flight slot owns one key and swaps it with the version its last
 * swap returned, so every swap should succeed; a conflict (counted) re-reads the version.
 */
public final class CasWorkload extends Workload {
  private final long[] versions;

  public CasWorkload(String id, int inFlight) {
    super(
        id,
        "compare-and-set (txn), " + inFlight + " in flight",
        inFlight,
        Schedule.EVERY_REPETITION);
    this.versions = new long[inFlight];
  }

  /** Writes every slot's key, noting the version each swap starts from. */
  private void setUp(WorkloadContext ctx) throws Exception {
    List<CompletableFuture<Long>> puts = new ArrayList<>();
    for (int slot = 0; slot < inFlight(); slot++) {
      puts.add(ctx.driver().put(ctx.keys().casKey(slot), ctx.keys().value()));
    }
    for (int slot = 0; slot < inFlight(); slot++) {
      versions[slot] = puts.get(slot).get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    setUp(ctx);
    LongAdder conflicts = new LongAdder();
    byte[] value = ctx.keys().value();
    RunStats stats =
        closedLoop(
            ctx,
            settle,
            measure,
            (slot, seq) -> {
              String key = ctx.keys().casKey(slot);
              return ctx.driver()
                  .cas(key, versions[slot], value)
                  .thenCompose(
                      outcome -> {
                        if (outcome.succeeded()) {
                          versions[slot] = outcome.newVersion();
                          return CompletableFuture.completedFuture(outcome);
                        }
                        conflicts.increment();
                        return ctx.driver()
                            .get(key, ReadConsistency.LINEARIZABLE)
                            .thenApply(
                                v -> {
                                  versions[slot] = v.version();
                                  return CasOutcome.CONFLICT;
                                });
                      });
            });
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("cas_conflicts", conflicts.sum());
    return new WorkloadResult(stats, extras);
  }
}
