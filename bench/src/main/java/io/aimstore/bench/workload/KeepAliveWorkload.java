package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.KeepAliveStreams;
import io.aimstore.bench.driver.LeaseDriver;
import io.aimstore.bench.load.LatencySummary;
import io.aimstore.bench.load.Pipelined;
import io.aimstore.bench.load.RunObserver;
import io.aimstore.bench.load.RunStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Keep-alive throughput of the leader with {@code leases} leases alive: the leases are granted
 * first, then keep-alives for all of them, round-robin, go to the leader on {@link #STREAMS}
 * streams with {@link #IN_FLIGHT} outstanding in all (closed loop: a new keep-alive the moment one
 * is answered). The leader is the member that keeps lease deadlines in aimstore and etcd alike
 * (followers relay keep-alives to it). Beside it one client puts sequentially (1 in flight) through
 * the ordinary client, and its latency is reported as what the keep-alive load does to writes.
 * ZooKeeper has no equivalent (sessions are kept alive by each client's own connection).
 */
public final class KeepAliveWorkload extends Workload {
  static final int STREAMS = 4;
  static final int IN_FLIGHT = 256;
  private static final Duration LEASE_TTL = Duration.ofSeconds(300);

  public KeepAliveWorkload(String id) {
    super(
        id,
        "lease keep-alives to the leader, " + IN_FLIGHT + " in flight on " + STREAMS + " streams",
        IN_FLIGHT,
        Schedule.ONCE_PER_SET,
        LeaseDriver.class);
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    if (system == SystemKind.ZOOKEEPER) {
      return Duration.ZERO;
    }
    // granting and revoking the leases: aimstore ~0.7 ms per lease, etcd ~0.4 ms
    long perLease = system.server() == SystemKind.AIMSTORE ? 700 : 400;
    return settle.plus(measure).plusNanos(scale.leases() * perLease * 1000).plusSeconds(2);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    WorkloadContext.Env env = ctx.requireEnv();
    LeaseDriver leases = (LeaseDriver) ctx.driver();
    int n = env.scale().leases();
    Map<String, Object> extras = new LinkedHashMap<>();

    env.say().accept(String.format("%s: granting %,d leases", id(), n));
    Pipelined.Result<Long> grants =
        Pipelined.run(n, 256, Duration.ofMinutes(5), i -> leases.grant(LEASE_TTL));
    long[] ids = new long[(int) grants.succeeded()];
    int k = 0;
    for (Long l : grants.values()) {
      if (l != null && k < ids.length) {
        ids[k++] = l;
      }
    }
    extras.put("leases", k);
    extras.put("grant_s", round(grants.seconds()));
    if (k < n) {
      extras.put("grant_failures", n - k);
    }
    try {
      if (k == 0) {
        throw new IllegalStateException("no lease granted: " + grants.firstError());
      }
      long[] alive = k == ids.length ? ids : java.util.Arrays.copyOf(ids, k);
      int leader = Members.awaitLeader(env.cluster(), Duration.ofSeconds(30));
      extras.put("member", "n" + leader + " (leader)");
      LongAdder lost = new LongAdder();
      SidePuts side = new SidePuts(ctx);
      RunStats stats;
      try (KeepAliveStreams streams =
          leases.keepAliveStreams(env.cluster().clientAddress(leader), STREAMS)) {
        side.start();
        stats =
            closedLoop(
                ctx.withObserver(RunObserver.both(side, ctx.observer())),
                settle,
                measure,
                (slot, seq) ->
                    streams
                        .keepAlive(slot % STREAMS, alive[(int) (seq % alive.length)])
                        .thenApply(
                            ttl -> {
                              if (ttl <= 0) {
                                lost.increment();
                              }
                              return ttl;
                            }));
      } finally {
        side.close();
      }
      LatencySummary puts = side.latency();
      extras.put("put_beside_p50_ms", puts.p50() / 1000);
      extras.put("put_beside_p99_ms", puts.p99() / 1000);
      extras.put("put_beside_ops", puts.count());
      extras.put("put_beside_errors", side.errors());
      extras.put("leases_found_gone", lost.sum());
      return new WorkloadResult(stats, extras);
    } finally {
      env.say().accept(String.format("%s: revoking %,d leases", id(), k));
      long[] toRevoke = ids;
      int count = k;
      Pipelined.Result<Void> r =
          Pipelined.run(count, 256, Duration.ofMinutes(5), i -> leases.revoke(toRevoke[i]));
      extras.put("revoke_s", round(r.seconds()));
    }
  }

  private static double round(double s) {
    return Math.round(s * 10) / 10.0;
  }

  /**
   * Sequential puts (1 in flight) on their own thread through the ordinary client; latencies of
   * puts that complete inside the measured window are recorded.
   */
  static final class SidePuts implements RunObserver, AutoCloseable {
    private final WorkloadContext ctx;
    private final Recorder recorder = new Recorder(3);
    private final LongAdder errors = new LongAdder();
    private volatile boolean recording;
    private volatile boolean stopping;
    private LatencySummary latency = LatencySummary.EMPTY;
    private Thread thread;

    SidePuts(WorkloadContext ctx) {
      this.ctx = ctx;
    }

    void start() {
      thread =
          new Thread(
              () -> {
                String key = KeySpace.NAMESPACE + "/side";
                byte[] value = ctx.keys().value();
                while (!stopping) {
                  long t0 = System.nanoTime();
                  try {
                    ctx.driver().put(key, value).get(10, TimeUnit.SECONDS);
                    if (recording) {
                      recorder.recordValue(Math.max(1, System.nanoTime() - t0));
                    }
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    if (recording) {
                      errors.increment();
                    }
                  }
                }
              },
              "side-puts");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void windowOpened() {
      recorder.getIntervalHistogram(); // drop what came before
      recording = true;
    }

    @Override
    public void windowClosed() {
      recording = false;
      latency = LatencySummary.ofNanos(recorder.getIntervalHistogram());
    }

    LatencySummary latency() {
      return latency;
    }

    long errors() {
      return errors.sum();
    }

    @Override
    public void close() throws InterruptedException {
      stopping = true;
      if (thread != null) {
        thread.join(15_000);
      }
    }
  }
}
