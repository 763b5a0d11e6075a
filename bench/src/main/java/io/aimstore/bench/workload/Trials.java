package io.aimstore.bench.workload;

import io.aimstore.bench.load.RunObserver;
import io.aimstore.bench.load.TrialLog;
import io.aimstore.bench.result.RunError;
import java.time.Duration;
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

  private Trials() {}

  /**
   * @param estimate how long all trials are expected to take (for the progress display)
   * @param extras the workload's own figures, to which {@code trials} and {@code trial_ms} are
   *     added
   */
  static WorkloadResult run(
      WorkloadContext ctx, String id, Duration estimate, Map<String, Object> extras, Trial trial)
      throws InterruptedException {
    WorkloadContext.Env env = ctx.requireEnv();
    int trials = env.scale().trials();
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
}
