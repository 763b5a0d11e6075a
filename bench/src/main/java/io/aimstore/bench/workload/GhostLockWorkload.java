package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.LockClient;
import io.aimstore.bench.driver.LockDriver;
import io.aimstore.bench.fault.HolderProcess;
import io.aimstore.bench.load.TrialLog;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Ghost-lock reclaim: a separate process holds a lock on a session of {@link #HOLDER_TTL_S}
 * seconds; another client waits for the same lock; the holder is killed with SIGKILL (it can
 * release nothing); the time from the kill to the waiter holding the lock is measured. That is the
 * session TTL less the time since the holder's last renewal, plus how long the store takes to
 * notice the expiry and hand the lock on. One trial per holder process.
 */
public final class GhostLockWorkload extends Workload {
  static final int HOLDER_TTL_S = 3;
  private static final String LOCK = "bench-ghost";

  public GhostLockWorkload(String id) {
    super(
        id,
        "ghost-lock reclaim after kill -9 of a holder with a " + HOLDER_TTL_S + " s session",
        1,
        Schedule.ONCE_PER_RUN,
        LockDriver.class);
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    // holder start-up (a JVM), 1 s queued, 2-3 s reclaim (ZooKeeper 3-5 s)
    long perTrial = system == SystemKind.ZOOKEEPER ? 6 : 5;
    return Duration.ofSeconds(perTrial * scale.trials() + 1);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    Trials trials = new Trials(this, ctx, settle, measure);
    ExecutorService waiterThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "waiter"));
    WorkloadResult result;
    try (LockClient waiter = ((LockDriver) ctx.driver()).newLockClient(LockWorkload.SESSION_TTL)) {
      result =
          trials.run(
              (t, log) -> {
                try (HolderProcess holder =
                    trials.holder(
                        HolderProcess.Holds.LOCK,
                        LOCK,
                        HOLDER_TTL_S,
                        "lock-holder-" + t + ".log")) {
                  reclaim(t, log, holder, waiter, waiterThread);
                }
                return "";
              });
    } finally {
      waiterThread.shutdownNow();
    }
    trials.extras().put("holder_ttl_s", HOLDER_TTL_S);
    return result;
  }

  /**
   * One trial: {@code waiter} queues behind the holder, the holder is killed, and the time until
   * the waiter holds the lock is measured. A held lock is closed on the thread that took it
   * (Curator's rule).
   */
  private static void reclaim(
      int t, TrialLog log, HolderProcess holder, LockClient waiter, ExecutorService waiterThread)
      throws Exception {
    long[] acquiredAt = {0};
    Future<LockClient.Held> waiting =
        waiterThread.submit(
            () -> {
              LockClient.Held h = waiter.acquire(LOCK, Duration.ofSeconds(60));
              acquiredAt[0] = System.nanoTime();
              return h;
            });
    Thread.sleep(1000); // queued behind the holder
    if (waiting.isDone()) {
      LockClient.Held early = waiting.get();
      waiterThread.submit(() -> close(early)).get(30, TimeUnit.SECONDS);
      log.failed("trial " + t + ": the waiter got the lock while the holder still held it");
      return;
    }
    long killedAt = System.nanoTime();
    holder.kill9();
    try {
      LockClient.Held held = waiting.get(60, TimeUnit.SECONDS);
      log.measured(acquiredAt[0] - killedAt);
      waiterThread.submit(() -> close(held)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      waiting.cancel(true);
      log.failed("trial " + t + ": " + e);
    }
  }

  private static Void close(LockClient.Held held) throws Exception {
    held.close();
    return null;
  }
}
