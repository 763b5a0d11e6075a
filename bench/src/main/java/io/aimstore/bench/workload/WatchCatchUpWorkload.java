package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.HistoryWatchDriver;
import io.aimstore.bench.load.LatencySummary;
import io.aimstore.bench.load.Pipelined;
import io.aimstore.bench.load.RunObserver;
import io.aimstore.bench.load.RunStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A watcher far behind: {@code Scale.catchUpRevisions} puts (256-byte values over 1,000 keys under
 * one prefix, 256 in flight) are written first; then a new client on a follower watches the prefix
 * from the first of those revisions, and the time until the last one arrives is measured. ZooKeeper
 * keeps no history to replay.
 */
public final class WatchCatchUpWorkload extends Workload {
  private static final String PREFIX = KeySpace.NAMESPACE + "/u";

  public WatchCatchUpWorkload(String id) {
    super(
        id,
        "watch catching up on a history of puts",
        1,
        Schedule.ONCE_PER_RUN,
        HistoryWatchDriver.class);
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    if (system == SystemKind.ZOOKEEPER) {
      return Duration.ZERO;
    }
    // written at ~1,500 puts/s (aimstore; etcd ~4,000), replayed faster still
    long perPutMicros = system.server() == SystemKind.AIMSTORE ? 700 : 250;
    return Duration.ofMillis(scale.catchUpRevisions() * perPutMicros / 1000 + 2000L);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    WorkloadContext.Env env = ctx.requireEnv();
    Driver driver = ctx.driver();
    int n = Math.max(2, env.scale().catchUpRevisions());
    byte[] value = ctx.keys().value();
    Map<String, Object> extras = new LinkedHashMap<>();

    env.say().accept(String.format("%s: writing %,d puts", id(), n));
    long w0 = System.nanoTime();
    long first = driver.put(PREFIX + "-first", value).get(30, TimeUnit.SECONDS);
    Pipelined.Result<Long> puts =
        Pipelined.run(
            n - 2,
            256,
            Duration.ofMinutes(30),
            i -> driver.put(String.format("%s%04d", PREFIX, i % 1000), value));
    long last = driver.put(PREFIX + "-last", value).get(30, TimeUnit.SECONDS);
    double writeSeconds = (System.nanoTime() - w0) / 1e9;
    if (puts.failed() > 0) {
      extras.put("write_failures", puts.failed());
    }

    int member = Members.follower(env.cluster());
    AtomicLong events = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    long t0 = System.nanoTime();
    long t1;
    try (RunObserver.Window window =
            ctx.observer().window(id(), Duration.ofSeconds(10), events::get);
        AutoCloseable watch =
            ((HistoryWatchDriver) driver)
                .watchPrefixFrom(
                    env.cluster().clientAddress(member),
                    PREFIX,
                    first,
                    rev -> {
                      events.incrementAndGet();
                      if (rev >= last) {
                        done.countDown();
                      }
                    })) {
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(
            "the watcher got " + events.get() + " events but not revision " + last + " in 10 min");
      }
      t1 = System.nanoTime();
    }
    double seconds = (t1 - t0) / 1e9;
    extras.put("catchup_s", Math.round(seconds * 1000) / 1000.0);
    extras.put("revisions_behind", last - first + 1);
    extras.put("events_delivered", events.get());
    extras.put("write_s", Math.round(writeSeconds * 10) / 10.0);
    extras.put("member", "n" + member + " (follower)");
    return new WorkloadResult(
        new RunStats(events.get(), 0, seconds, LatencySummary.EMPTY, null, 0), extras);
  }
}
