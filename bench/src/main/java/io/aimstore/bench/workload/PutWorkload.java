package io.aimstore.bench.workload;

import io.aimstore.bench.load.ClosedLoopRunner;
import io.aimstore.bench.load.RunStats;
import java.time.Duration;
import java.util.Map;

/** Puts of the 256-byte value over the key space, {@code inFlight} outstanding. */
public final class PutWorkload implements Workload {
  private final String id;
  private final int inFlight;

  public PutWorkload(String id, int inFlight) {
    this.id = id;
    this.inFlight = inFlight;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String title() {
    return inFlight == 1 ? "put, 1 in flight (sequential)" : "put, " + inFlight + " in flight";
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws InterruptedException {
    byte[] value = ctx.keys().value();
    RunStats stats =
        ClosedLoopRunner.run(
            id,
            inFlight,
            settle,
            measure,
            ctx.maxOps(),
            (slot, seq) -> ctx.driver().put(ctx.keys().key(seq), value),
            ctx.observer());
    return new WorkloadResult(stats, Map.of());
  }
}
