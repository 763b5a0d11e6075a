package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.ReadConsistency;
import io.aimstore.bench.driver.SessionKeyDriver;
import io.aimstore.bench.fault.HolderProcess;
import io.aimstore.bench.load.TrialLog;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Session expiry: a separate process holds a key on a session of {@code ttlSeconds} (aimstore and
 * etcd: a key on a lease the client keeps alive; ZooKeeper: an ephemeral znode); the process is
 * killed with SIGKILL; the time from the kill until a linearizable read no longer finds the key is
 * measured, polling every {@value #POLL_MS} ms. That is the TTL less the time since the holder's
 * last renewal, plus how long the store takes to notice and delete. One trial per holder process.
 */
public final class SessionExpiryWorkload extends Workload {
  static final long POLL_MS = 10;
  private static final String NAMESPACE = "/bench";

  private final int ttlSeconds;

  public SessionExpiryWorkload(String id, int ttlSeconds) {
    super(
        id,
        "session-bound key deleted after kill -9 of its holder, " + ttlSeconds + " s session",
        1,
        Schedule.ONCE_PER_RUN,
        SessionKeyDriver.class);
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    // holder start-up (a JVM), 1 s held, then the TTL and the store's own delay
    return Duration.ofSeconds((ttlSeconds + 3L) * scale.trials() + 1);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    Driver driver = ctx.driver();
    Trials trials = new Trials(this, ctx, settle, measure);
    driver.prepare(NAMESPACE);
    WorkloadResult result =
        trials.run(
            (t, log) -> {
              String key = NAMESPACE + "/" + id() + "-" + t;
              try (HolderProcess holder =
                  trials.holder(
                      HolderProcess.Holds.KEY, key, ttlSeconds, id() + "-holder-" + t + ".log")) {
                expire(t, log, holder, driver, key);
              }
              return "";
            });
    trials.extras().put("holder_ttl_s", ttlSeconds);
    return result;
  }

  /** One trial: the holder is killed and the time until {@code key} is gone is measured. */
  private void expire(int t, TrialLog log, HolderProcess holder, Driver driver, String key)
      throws Exception {
    if (!present(driver, key)) {
      log.failed("trial " + t + ": the holder said it held " + key + " but it is absent");
      return;
    }
    Thread.sleep(1000); // a few renewals
    long killedAt = System.nanoTime();
    holder.kill9();
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(ttlSeconds + 60L);
    while (System.nanoTime() < deadline) {
      if (!present(driver, key)) {
        log.measured(System.nanoTime() - killedAt);
        return;
      }
      Thread.sleep(POLL_MS);
    }
    log.failed(
        "trial " + t + ": " + key + " still there " + (ttlSeconds + 60) + " s after the kill");
  }

  /** Whether a linearizable read finds {@code key}; a failed read counts as present (retried). */
  private static boolean present(Driver driver, String key) throws InterruptedException {
    try {
      return driver.get(key, ReadConsistency.LINEARIZABLE).get(5, TimeUnit.SECONDS).value() != null;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return true;
    }
  }
}
