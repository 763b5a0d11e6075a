package io.aimstore.bench.workload;

import java.time.Duration;
import java.util.Map;

/** Puts of the 256-byte value over the key space, {@code inFlight} outstanding. */
public final class PutWorkload extends Workload {

  public PutWorkload(String id, int inFlight) {
    super(
        id,
        inFlight == 1 ? "put, 1 in flight (sequential)" : "put, " + inFlight + " in flight",
        inFlight,
        Schedule.EVERY_REPETITION);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws InterruptedException {
    byte[] value = ctx.keys().value();
    return new WorkloadResult(
        closedLoop(
            ctx, settle, measure, (slot, seq) -> ctx.driver().put(ctx.keys().key(seq), value)),
        Map.of());
  }
}
