package io.aimstore.server.metrics;

import io.aimstore.server.watch.WatchMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Watch counters in Micrometer: events delivered, watchers that fell behind. */
public final class MicrometerWatchMetrics implements WatchMetrics {
  private final Counter events;
  private final Counter slow;

  public MicrometerWatchMetrics(MeterRegistry registry) {
    events =
        Counter.builder("aimstore.watch.events")
            .description("events sent to watchers")
            .register(registry);
    slow =
        Counter.builder("aimstore.watch.slow")
            .description("times a watcher fell behind and was moved to catch-up from storage")
            .register(registry);
  }

  @Override
  public void delivered(int n) {
    events.increment(n);
  }

  @Override
  public void slow() {
    slow.increment();
  }
}
