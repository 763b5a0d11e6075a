package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.cluster.Cluster;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.load.TrialLog;
import io.aimstore.bench.result.RunError;
import io.aimstore.testkit.ProcStat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failover: while one client puts sequentially through the ordinary client, the leader is killed
 * with SIGKILL; measured is the time from the leader's death (the moment its process is seen gone,
 * polled every millisecond, so that how the kill is delivered does not count) to the
 * acknowledgement of the first put issued after it. The load keeps one put in flight, except that
 * at the kill, and whenever a put has been unanswered for {@link #ABANDON}, another is issued
 * beside it (a request stuck on the dead leader must not hide the moment writes work again); after
 * a failed put the next follows {@link #AFTER_ERROR} later. Then the killed member is started again
 * and the next trial waits until it has caught up.
 */
public final class FailoverWorkload extends Workload {
  static final Duration ABANDON = Duration.ofMillis(250);
  static final Duration AFTER_ERROR = Duration.ofMillis(10);
  private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

  public FailoverWorkload(String id) {
    super(id, "failover: kill -9 of the leader under sequential puts", 1, Schedule.ONCE_PER_RUN);
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    // find the leader, kill, recover, restart the member and let it catch up: aimstore ~15 s (its
    // leader query and member start are JVMs), etcd and ZooKeeper ~3 s on a busy 2-core machine
    long perTrial = system.server() == SystemKind.AIMSTORE ? 15 : 3;
    return Duration.ofSeconds(perTrial * scale.trials() + 3);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    WorkloadContext.Env env = ctx.requireEnv();
    Cluster cluster = env.cluster();
    Driver driver = ctx.driver();
    List<Double> deathMs = new ArrayList<>();
    Trials trials = new Trials(this, ctx, settle, measure);
    Members.awaitAllServing(cluster, driver, Duration.ofMinutes(2));
    WorkloadResult result =
        trials.run(
            (t, log) -> {
              int leader = 0;
              try {
                leader = Members.awaitLeader(cluster, Duration.ofSeconds(30));
                killLeader(t, log, cluster, driver, leader, ctx.keys().value(), deathMs);
              } catch (Exception e) {
                log.failed("trial " + t + ": " + RunError.describe(e));
              } finally {
                if (leader > 0 && cluster.memberPid(leader).isEmpty()) {
                  try {
                    cluster.startMember(leader);
                    Members.awaitServing(cluster, driver, leader, Duration.ofMinutes(2));
                  } catch (Exception e) {
                    log.failed(
                        "trial " + t + ": restarting n" + leader + ": " + RunError.describe(e));
                  }
                }
              }
              return " (killed n" + leader + ")";
            });
    trials
        .extras()
        .put(
            "kill_to_gone_ms_max",
            Math.round(deathMs.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 10)
                / 10.0);
    return result;
  }

  /**
   * One trial: under the sequential put load, {@code victim} (the leader) is killed; the time from
   * its death to the first put acknowledged after it is measured.
   */
  private static void killLeader(
      int t,
      TrialLog log,
      Cluster cluster,
      Driver driver,
      int victim,
      byte[] value,
      List<Double> deathMs)
      throws Exception {
    long pid =
        cluster
            .memberPid(victim)
            .orElseThrow(() -> new IllegalStateException("n" + victim + " not running"));
    try (PutLoop load = new PutLoop(driver, value)) {
      load.start();
      load.awaitSteady(Duration.ofSeconds(30));
      long killedAt = System.nanoTime();
      CompletableFuture<Void> kill =
          CompletableFuture.runAsync(
              () -> {
                try {
                  cluster.kill9(victim);
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      long dead = awaitDeath(pid, Duration.ofSeconds(10));
      load.arm(dead);
      deathMs.add((dead - killedAt) / 1e6);
      try {
        long recovered = load.recovered().get(RECOVERY_LIMIT.toSeconds(), TimeUnit.SECONDS);
        log.measured(recovered - dead);
      } catch (TimeoutException e) {
        log.failed("trial " + t + ": no put succeeded within " + RECOVERY_LIMIT.toSeconds() + " s");
      }
      kill.get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Polls (1 ms) until {@code pid} has exited (a zombie counts: aimstore's members are children of
   * PID 1 once their start script exits, and it may reap them seconds later); returns that moment.
   */
  private static long awaitDeath(long pid, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!ProcStat.exited(pid)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pid " + pid + " still alive " + limit + " after kill -9");
      }
      Thread.sleep(1);
    }
    return System.nanoTime();
  }

  /**
   * The sequential put load. {@link #arm} marks the moment the leader is gone: the put outstanding
   * then is given up on (a fresh one issued at once), and {@link #recovered} completes with the
   * acknowledgement time of the first put issued after that moment.
   */
  static final class PutLoop implements AutoCloseable {
    private final Driver driver;
    private final byte[] value;
    private final CompletableFuture<Long> recovered = new CompletableFuture<>();
    private final CompletableFuture<Void> armed = new CompletableFuture<>();
    private final CompletableFuture<Void> steady = new CompletableFuture<>();
    private final AtomicLong successes = new AtomicLong();
    private volatile long armedAt = Long.MAX_VALUE;
    private volatile boolean stopping;
    private Thread thread;

    PutLoop(Driver driver, byte[] value) {
      this.driver = driver;
      this.value = value;
    }

    void start() {
      thread = new Thread(this::loop, "failover-puts");
      thread.setDaemon(true);
      thread.start();
    }

    /** Waits for a few acknowledged puts (the load runs steadily before the kill). */
    void awaitSteady(Duration limit) throws Exception {
      steady.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    void arm(long goneAt) {
      armedAt = goneAt;
      armed.complete(null);
    }

    CompletableFuture<Long> recovered() {
      return recovered;
    }

    private void loop() {
      long seq = 0;
      while (!stopping && !recovered.isDone()) {
        long issued = System.nanoTime();
        CompletableFuture<Long> f;
        try {
          f = driver.put(KeySpace.NAMESPACE + "/failover-" + (seq++ % 100), value);
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete(
            (r, e) -> {
              if (e == null) {
                long now = System.nanoTime();
                if (successes.incrementAndGet() >= 5) {
                  steady.complete(null);
                }
                if (issued >= armedAt) {
                  recovered.complete(now);
                }
              }
            });
        CompletableFuture<?> until = issued < armedAt ? CompletableFuture.anyOf(f, armed) : f;
        try {
          until.get(ABANDON.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          continue; // give up on it, issue another beside it
        } catch (ExecutionException e) {
          // failed: pause below
        } catch (InterruptedException e) {
          return;
        }
        if (f.isCompletedExceptionally()) {
          try {
            Thread.sleep(AFTER_ERROR.toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      stopping = true;
      if (thread != null) {
        thread.join(ABANDON.toMillis() + 1000);
      }
    }
  }
}
