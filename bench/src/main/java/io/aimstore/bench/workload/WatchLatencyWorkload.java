package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.WatchDriver;
import io.aimstore.bench.driver.Watchers;
import io.aimstore.bench.load.DeliveryTracker;
import io.aimstore.bench.load.LatencySummary;
import io.aimstore.bench.load.OpenLoop;
import io.aimstore.bench.load.RunStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Delivery latency with many watchers: {@code watchers} watches, one per key, on {@link #CLIENTS}
 * clients connected to one follower; puts at {@link #RATE} per second (open loop, fixed rate)
 * through the ordinary client go round-robin over the watched keys, so each put fires exactly one
 * watch. Latency is from the put's acknowledgement to the event's arrival at the watcher (0 when
 * the event came first). The cost measured is that of delivering with so many watchers registered,
 * not of fanning one change out to all of them (which at 100 puts/s would be 1,000,000 events/s
 * with 10,000 watchers, beyond one 2-core machine).
 */
public final class WatchLatencyWorkload extends Workload {
  static final int CLIENTS = 4;
  static final int RATE = 100;
  private static final int MAX_PUTS_IN_FLIGHT = 200;
  private static final Duration MIN_WINDOW = Duration.ofSeconds(2);

  private final int watchers;

  public WatchLatencyWorkload(String id, int watchers) {
    super(
        id,
        String.format("watch delivery, %,d watchers on one member, %d puts/s", watchers, RATE),
        watchers,
        Schedule.ONCE_PER_SET,
        WatchDriver.class);
    this.watchers = watchers;
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    return settle.plus(window(measure)).plusMillis(1500 + watchers / 5);
  }

  private static Duration window(Duration measure) {
    return measure.compareTo(MIN_WINDOW) < 0 ? MIN_WINDOW : measure;
  }

  static String key(int i) {
    return String.format("%s/w%05d", KeySpace.NAMESPACE, i);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    WorkloadContext.Env env = ctx.requireEnv();
    Duration window = window(measure);
    int member = Members.follower(env.cluster());
    DeliveryTracker tracker = new DeliveryTracker();
    String[] keys = new String[watchers];
    Map<String, Object> extras = new LinkedHashMap<>();
    try (Watchers w =
        ((WatchDriver) ctx.driver()).watchers(env.cluster().clientAddress(member), CLIENTS)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < watchers; i++) {
        keys[i] = key(i);
        w.watch(i % CLIENTS, keys[i], (key, revision, at) -> tracker.received(key, at));
      }
      Sentinels.await(w, ctx.driver(), id(), Duration.ofMinutes(2));
      extras.put("register_s", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);

      byte[] value = ctx.keys().value();
      Semaphore inFlight = new Semaphore(MAX_PUTS_IN_FLIGHT);
      long start = System.nanoTime();
      long windowStart = start + settle.toNanos();
      long windowEnd = windowStart + window.toNanos();
      long[] issuedInWindow = {0};
      boolean[] open = {false};
      ctx.observer().started(id(), settle, window, tracker::delivered);
      long skipped =
          OpenLoop.run(
              RATE,
              inFlight,
              windowEnd,
              () -> false,
              now -> {
                if (!open[0] && now >= windowStart) {
                  ctx.observer().windowOpened();
                  open[0] = true;
                }
              },
              seq -> {
                String key = keys[(int) (seq % watchers)];
                long issued = System.nanoTime();
                boolean in = issued >= windowStart;
                if (in) {
                  issuedInWindow[0]++;
                }
                tracker.issued(key, issued, in);
                return OpenLoop.call(() -> ctx.driver().put(key, value))
                    .whenComplete(
                        (r, e) -> {
                          if (e == null) {
                            tracker.acked(key, issued, System.nanoTime());
                          } else {
                            tracker.failed(key, issued);
                          }
                        });
              });
      ctx.observer().windowClosed();
      // let the last events arrive
      long drain = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while ((tracker.awaiting() > 0 || inFlight.availablePermits() < MAX_PUTS_IN_FLIGHT)
          && System.nanoTime() < drain) {
        Thread.sleep(10);
      }
      ctx.observer().finished();
      double seconds = window.toNanos() / 1e9;
      RunStats stats =
          new RunStats(
              tracker.delivered(),
              tracker.failedPuts() + tracker.missing(),
              seconds,
              LatencySummary.ofNanos(tracker.fromAck()),
              tracker.missing() > 0 ? tracker.missing() + " events never arrived" : null,
              0);
      LatencySummary fromIssue = LatencySummary.ofNanos(tracker.fromIssue());
      extras.put("watchers", watchers);
      extras.put("watch_clients", CLIENTS);
      extras.put("member", "n" + member + " (follower)");
      extras.put("puts_per_s", Math.round(issuedInWindow[0] / seconds));
      extras.put("puts_skipped", skipped);
      extras.put("events_missing", tracker.missing());
      extras.put("events_before_ack", tracker.early());
      extras.put("from_issue_p50_ms", fromIssue.p50() / 1000);
      extras.put("from_issue_p99_ms", fromIssue.p99() / 1000);
      return new WorkloadResult(stats, extras);
    }
  }
}
