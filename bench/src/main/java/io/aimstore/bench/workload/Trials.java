package io.aimstore.bench.workload;

import io.aimstore.bench.fault.HolderProcess;
import io.aimstore.bench.load.RunObserver;
import io.aimstore.bench.load.TrialLog;
import io.aimstore.bench.result.RunError;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loop of the fault workloads (failover, ghost-lock, session expiry): {@code Scale.trials}
 * trials one after the other in one observed window, each measuring one duration into the {@link
 * TrialLog} or failing, with a progress line after each. The result carries {@code trials} and
 * every trial's milliseconds ({@code trial_ms}) among its extras.
 */
final class Trials {
  /** One trial. */
  @FunctionalInterface
  interface Trial {
    /**
     * Runs trial {@code t} (from 1), recording what it measured, or why it failed, in {@code log};
     * an exception fails the trial.
     *
     * @return a note for the progress line ({@code " (killed n2)"}), or ""
     */
    String run(int t, TrialLog log) throws Exception;
  }

  private final Workload workload;
  private final WorkloadContext ctx;
  private final Duration settle;
  private final Duration measure;
  private final Map<String, Object> extras = new LinkedHashMap<>();

  /** The trials of {@code workload}, in the window {@code settle} and {@code measure} give. */
  Trials(Workload workload, WorkloadContext ctx, Duration settle, Duration measure) {
    this.workload = workload;
    this.ctx = ctx;
    this.settle = settle;
    this.measure = measure;
  }

  /**
   * The workload's own figures, carried by the result of {@link #run}; {@code trials} and {@code
   * trial_ms} are added to them.
   */
  Map<String, Object> extras() {
    return extras;
  }

  /** Runs the trials. */
  WorkloadResult run(Trial trial) throws InterruptedException {
    WorkloadContext.Env env = ctx.requireEnv();
    String id = workload.id();
    int trials = env.scale().trials();
    Duration estimate = workload.estimate(settle, measure, env.scale(), ctx.driver().system());
    TrialLog log = new TrialLog();
    try (RunObserver.Window window = ctx.observer().window(id, estimate, log::completed)) {
      for (int t = 1; t <= trials; t++) {
        int before = log.completed();
        String note = "";
        try {
          note = trial.run(t, log);
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          log.failed("trial " + t + ": " + RunError.describe(e));
        }
        env.say()
            .accept(id + " trial " + t + "/" + trials + note + ": " + log.describeLast(before));
      }
    }
    extras.put("trials", trials);
    extras.put("trial_ms", log.millis());
    return new WorkloadResult(log.stats(), extras);
  }

  /**
   * Starts a process holding {@code name} (a lock or a key) on a session of {@code ttlSeconds},
   * logging to {@code log} in the workload's scratch directory, and notes the session TTL the store
   * granted it among the {@link #extras} ({@code holder_session_ttl_ms}).
   */
  HolderProcess holder(HolderProcess.Holds holds, String name, int ttlSeconds, String log)
      throws Exception {
    WorkloadContext.Env env = ctx.requireEnv();
    HolderProcess holder =
        HolderProcess.start(
            holds,
            ctx.driver().system(),
            env.cluster(),
            env.repo(),
            env.scratch().resolve(log),
            env.registry(),
            name,
            ttlSeconds,
            Duration.ofSeconds(90));
    if (holder.sessionTtlMs() > 0) {
      extras.put("holder_session_ttl_ms", holder.sessionTtlMs());
    }
    return holder;
  }
}
