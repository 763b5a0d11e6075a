package io.aimstore.bench.workload;

import io.aimstore.bench.driver.ReadConsistency;
import io.aimstore.bench.load.BackgroundPutLoad;
import io.aimstore.bench.load.RunObserver;
import io.aimstore.bench.load.RunStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Gets of existing keys, {@code inFlight} outstanding, measured while a fixed-rate put load runs on
 * other keys (the same rate for every system).
 */
public final class GetWorkload extends Workload {
  private static final int BACKGROUND_KEYS = 100;

  /** Enough that even 250 ms write latency does not hold the background rate down. */
  private static final int BACKGROUND_MAX_IN_FLIGHT = 256;

  private final ReadConsistency consistency;

  public GetWorkload(String id, ReadConsistency consistency, int inFlight) {
    super(
        id,
        (consistency == ReadConsistency.LINEARIZABLE ? "linearizable" : "serializable")
            + " get, "
            + inFlight
            + " in flight, under background puts",
        inFlight,
        Schedule.EVERY_REPETITION);
    this.consistency = consistency;
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    LongAdder missing = new LongAdder();
    Duration limit = settle.plus(measure).plusSeconds(60);
    try (BackgroundPutLoad background =
        new BackgroundPutLoad(
            ctx.driver(),
            ctx.keys().backgroundKeys(BACKGROUND_KEYS),
            ctx.keys().value(),
            ctx.backgroundPutRate(),
            BACKGROUND_MAX_IN_FLIGHT,
            limit)) {
      background.start();
      // the background rate is measured over the same window as the reads
      RunStats stats =
          closedLoop(
              ctx.withObserver(RunObserver.both(background, ctx.observer())),
              settle,
              measure,
              (slot, seq) ->
                  ctx.driver()
                      .get(ctx.keys().key(seq), consistency)
                      .whenComplete(
                          (v, e) -> {
                            if (e == null && !v.exists()) {
                              missing.increment();
                            }
                          }));
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("background_put_rate_target", ctx.backgroundPutRate());
      extras.put("background_puts_per_s", Math.round(background.windowRate()));
      extras.put("background_put_errors", background.failed());
      extras.put("missing_keys", missing.sum());
      return new WorkloadResult(stats, extras);
    }
  }
}
