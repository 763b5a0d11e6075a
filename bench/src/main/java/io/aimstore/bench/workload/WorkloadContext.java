package io.aimstore.bench.workload;

import io.aimstore.bench.cluster.Cluster;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.load.RunObserver;
import io.aimstore.testkit.ProcessRegistry;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a workload runs against.
 *
 * @param driver the system's client
 * @param keys keys and value
 * @param maxOps upper bound of operations in one measured window
 * @param backgroundPutRate puts per second kept running under read workloads
 * @param observer progress and CPU sampling for the run
 * @param env the cluster and the run's surroundings; null in the warm-up, which runs only the
 *     workloads that need nothing but the driver
 */
public record WorkloadContext(
    Driver driver,
    KeySpace keys,
    long maxOps,
    double backgroundPutRate,
    RunObserver observer,
    Env env) {

  /**
   * The cluster under test and what the fault workloads need around it.
   *
   * @param cluster the running cluster (member control: leader, kill -9, restart)
   * @param scale sizes (trials, leases, history length, footprint keys)
   * @param repo repository root (for {@code ops/bin/aimctl})
   * @param scratch a directory for this workload's logs
   * @param registry where every process the workload starts is registered, so it is stopped
   * @param say progress lines
   */
  public record Env(
      Cluster cluster,
      Scale scale,
      Path repo,
      Path scratch,
      ProcessRegistry registry,
      Consumer<String> say) {}

  public WorkloadContext(
      Driver driver, KeySpace keys, long maxOps, double backgroundPutRate, RunObserver observer) {
    this(driver, keys, maxOps, backgroundPutRate, observer, null);
  }

  public WorkloadContext withObserver(RunObserver o) {
    return new WorkloadContext(driver, keys, maxOps, backgroundPutRate, o, env);
  }

  /** The environment; fails for a workload that needs it where there is none. */
  public Env requireEnv() {
    if (env == null) {
      throw new IllegalStateException("this workload needs the cluster, not just a driver");
    }
    return env;
  }
}
