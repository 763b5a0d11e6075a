package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.cluster.Cluster;
import io.aimstore.bench.driver.WatchDriver;
import io.aimstore.bench.driver.Watchers;
import io.aimstore.bench.load.LatencySummary;
import io.aimstore.bench.load.RunObserver;
import io.aimstore.bench.load.RunStats;
import io.aimstore.testkit.ProcStat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory per idle watcher: the resident set (VmRSS of /proc/PID/status) of one follower before and
 * after {@code watchers} watches, one per key, are registered on it over 4 clients whose streams
 * were already open; nothing writes the keys. The difference divided by the watcher count is the
 * figure. Each reading waits until the RSS has settled (three readings 0.5 s apart within 0.5 MiB,
 * at most 8 s), so memory a runtime is still handing back from earlier work does not count. A JVM's
 * RSS hardly moves while its heap has committed room to spare, so JVM members (aimstore, ZooKeeper)
 * also get the live heap after a full collection ({@code jcmd PID GC.run}, then {@code
 * GC.heap_info}) before and after: the heap each watcher retains. etcd (Go) offers no equivalent
 * from outside.
 */
public final class WatchIdleMemoryWorkload extends Workload {
  private static final long SETTLED_KIB = 512;
  private static final Duration SETTLE_LIMIT = Duration.ofSeconds(8);

  private final int watchers;

  public WatchIdleMemoryWorkload(String id, int watchers) {
    super(
        id,
        String.format("memory per idle watcher, %,d watchers on one member", watchers),
        watchers,
        Schedule.ONCE_PER_SET,
        WatchDriver.class);
    this.watchers = watchers;
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    return Duration.ofSeconds(8);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    WorkloadContext.Env env = ctx.requireEnv();
    Cluster cluster = env.cluster();
    int member = Members.follower(cluster);
    long pid =
        cluster
            .memberPid(member)
            .orElseThrow(() -> new IllegalStateException("n" + member + " is not running"));
    Map<String, Object> extras = new LinkedHashMap<>();
    RunStats stats;
    try (Watchers w = ((WatchDriver) ctx.driver()).watchers(cluster.clientAddress(member), 4)) {
      Sentinels.await(w, ctx.driver(), id() + "-open", Duration.ofMinutes(1));
      long heapBefore = cluster.liveHeapKib(member);
      long before = settledRss(pid);
      long t0;
      long t1;
      try (RunObserver.Window window =
          ctx.observer().window(id(), Duration.ofSeconds(2), () -> 0)) {
        t0 = System.nanoTime();
        for (int i = 0; i < watchers; i++) {
          w.watch(
              i % w.clients(),
              String.format("%s/wi%05d", KeySpace.NAMESPACE, i),
              (key, revision, at) -> {});
        }
        Sentinels.await(w, ctx.driver(), id() + "-registered", Duration.ofMinutes(2));
        t1 = System.nanoTime();
      }
      long heapAfter = cluster.liveHeapKib(member);
      long after = settledRss(pid);
      if (before < 0 || after < 0) {
        throw new IllegalStateException("cannot read VmRSS of pid " + pid);
      }
      stats = new RunStats(watchers, 0, (t1 - t0) / 1e9, LatencySummary.EMPTY, null, 0);
      extras.put("idle_watcher_bytes", Math.round((after - before) * 1024.0 / watchers));
      extras.put("rss_growth_mib", mib(after - before));
      extras.put("rss_before_mib", mib(before));
      extras.put("rss_after_mib", mib(after));
      if (heapBefore > 0 && heapAfter > 0) {
        extras.put(
            "heap_per_watcher_bytes", Math.round((heapAfter - heapBefore) * 1024.0 / watchers));
        extras.put("live_heap_before_mib", mib(heapBefore));
        extras.put("live_heap_after_mib", mib(heapAfter));
      }
      extras.put("watchers", watchers);
      extras.put("member", "n" + member + " (follower)");
    }
    return new WorkloadResult(stats, extras);
  }

  private static double mib(long kib) {
    return Math.round(kib / 102.4) / 10.0;
  }

  /** VmRSS in KiB once three readings 0.5 s apart agree within 0.5 MiB (at most 8 s). */
  private static long settledRss(long pid) throws InterruptedException {
    long[] last = {-1, -1, -1};
    long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
    for (int i = 0; ; i++) {
      last[i % 3] = ProcStat.rssKib(pid);
      if (i >= 2) {
        long lo = Math.min(last[0], Math.min(last[1], last[2]));
        long hi = Math.max(last[0], Math.max(last[1], last[2]));
        if (hi - lo <= SETTLED_KIB || System.nanoTime() > deadline) {
          return last[i % 3];
        }
      }
      Thread.sleep(500);
    }
  }
}
