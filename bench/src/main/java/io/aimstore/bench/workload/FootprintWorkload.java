package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.cluster.Cluster;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.ReadConsistency;
import io.aimstore.bench.driver.Versioned;
import io.aimstore.bench.load.ClosedLoopRunner;
import io.aimstore.bench.load.RunStats;
import io.aimstore.testkit.Commands;
import io.aimstore.testkit.ProcStat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Footprint: {@code Scale.footprintKeys} distinct keys with 256-byte values written with the
 * throughput driver (256 in flight); then the members' resident memory (VmRSS) and data directories
 * ({@code du}); then every member is stopped (SIGTERM) and started again, all at once, and the time
 * until a fresh client's linearizable read of one of those keys succeeds is the restart time; the
 * members' memory is read again after the restart. Values per member are the mean of the three. The
 * data directories also hold what the earlier workloads of the run wrote (their history, logs and
 * snapshots); the growth is reported beside.
 */
public final class FootprintWorkload extends Workload {
  private static final Duration LOAD_LIMIT = Duration.ofMinutes(60);
  private static final Duration RESTART_LIMIT = Duration.ofMinutes(5);
  private static final long ATTEMPT_EVERY_MS = 200;

  public FootprintWorkload(String id) {
    super(
        id, "footprint with many keys of 256 bytes, and restart time", 256, Schedule.ONCE_PER_RUN);
  }

  @Override
  public boolean enabled(Scale scale) {
    return scale.footprintKeys() > 0;
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    // written at ~2,000 puts/s (aimstore is the slowest here), then stop, start, settle
    return Duration.ofMillis(scale.footprintKeys() / 2 + 30_000);
  }

  static String key(long i) {
    return String.format("%s/f%07d", KeySpace.NAMESPACE, i);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    WorkloadContext.Env env = ctx.requireEnv();
    Cluster cluster = env.cluster();
    long n = env.scale().footprintKeys();
    byte[] value = ctx.keys().value();
    Map<String, Object> extras = new LinkedHashMap<>();

    double dataBefore = meanDataMib(cluster);
    env.say().accept(String.format("%s: writing %,d keys, 256 in flight", id(), n));
    RunStats load =
        ClosedLoopRunner.run(
            id(),
            inFlight(),
            Duration.ZERO,
            LOAD_LIMIT,
            n,
            (slot, seq) -> ctx.driver().put(key(seq), value),
            ctx.observer());
    if (load.ops() < n) {
      extras.put("keys_missing", n - load.ops());
    }
    Thread.sleep(2000);
    double rssLoaded = meanRssMib(cluster);
    double dataAfter = meanDataMib(cluster);

    env.say().accept(id() + ": stopping all members (SIGTERM), then starting them again");
    cluster.stopMembers();
    long t0 = System.nanoTime();
    cluster.startMembers();
    long served = awaitFirstRead(cluster, key(0), t0);
    double restart = (served - t0) / 1e9;
    Thread.sleep(2000);
    double rssRestarted = meanRssMib(cluster);

    extras.put("keys", load.ops());
    extras.put("rss_loaded_mib", rssLoaded);
    extras.put("rss_restarted_mib", rssRestarted);
    extras.put("data_mib", dataAfter);
    extras.put("data_growth_mib", Math.round((dataAfter - dataBefore) * 10) / 10.0);
    extras.put("restart_s", Math.round(restart * 1000) / 1000.0);
    return new WorkloadResult(load, extras);
  }

  /**
   * Fresh clients, one attempt every {@value #ATTEMPT_EVERY_MS} ms (each bounded at 3 s, several
   * overlapping), each a linearizable read of {@code key}; returns when the first one finds it. A
   * fresh client per attempt keeps any client's reconnect back-off out of the figure.
   */
  private static long awaitFirstRead(Cluster cluster, String key, long since) throws Exception {
    CompletableFuture<Long> first = new CompletableFuture<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      long deadline = since + RESTART_LIMIT.toNanos();
      while (!first.isDone()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "no linearizable read within " + RESTART_LIMIT.toMinutes() + " min of the restart");
        }
        pool.submit(
            () -> {
              try (Driver d = cluster.connect()) {
                Versioned v = d.get(key, ReadConsistency.LINEARIZABLE).get(3, TimeUnit.SECONDS);
                long now = System.nanoTime();
                if (v.exists()) {
                  first.complete(now);
                } else {
                  first.completeExceptionally(
                      new IllegalStateException(key + " is missing after the restart"));
                }
              } catch (Exception e) {
                // not serving yet
              }
              return null;
            });
        try {
          first.get(ATTEMPT_EVERY_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // next attempt
        }
      }
      return first.get();
    } finally {
      pool.shutdownNow();
    }
  }

  private static double meanRssMib(Cluster cluster) {
    long sum = 0;
    int n = 0;
    for (int m = 1; m <= cluster.members(); m++) {
      long kib = cluster.memberPid(m).stream().map(ProcStat::rssKib).findFirst().orElse(-1L);
      if (kib > 0) {
        sum += kib;
        n++;
      }
    }
    return n == 0 ? Double.NaN : Math.round(sum / (double) n / 102.4) / 10.0;
  }

  private static double meanDataMib(Cluster cluster) {
    long sum = 0;
    for (int m = 1; m <= cluster.members(); m++) {
      sum += Math.max(0, Commands.diskUsageKib(cluster.dataDir(m)));
    }
    return Math.round(sum / (double) cluster.members() / 102.4) / 10.0;
  }
}
