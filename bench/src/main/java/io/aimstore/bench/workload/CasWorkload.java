package io.aimstore.bench.workload;

import io.aimstore.bench.driver.CasOutcome;
import io.aimstore.bench.driver.ReadConsistency;
import io.aimstore.bench.load.ClosedLoopRunner;
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
public final class CasWorkload implements Workload {
  private final String id;
  private final int inFlight;
  private final long[] versions;

  public CasWorkload(String id, int inFlight) {
    this.id = id;
    this.inFlight = inFlight;
    this.versions = new long[inFlight];
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String title() {
    return "compare-and-set (txn), " + inFlight + " in flight";
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public void setUp(WorkloadContext ctx) throws Exception {
    List<CompletableFuture<Long>> puts = new ArrayList<>();
    for (int slot = 0; slot < inFlight; slot++) {
      puts.add(ctx.driver().put(ctx.keys().casKey(slot), ctx.keys().value()));
    }
    for (int slot = 0; slot < inFlight; slot++) {
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
        ClosedLoopRunner.run(
            id,
            inFlight,
            settle,
            measure,
            ctx.maxOps(),
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
            },
            ctx.observer());
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("cas_conflicts", conflicts.sum());
    return new WorkloadResult(stats, extras);
  }
}
