package io.aimstore.bench.workload;

import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.load.RunObserver;

/**
 * What a workload runs against.
 *
 * @param driver the system's client
 * @param keys keys and value
 * @param maxOps upper bound of operations in one measured window
 * @param backgroundPutRate puts per second kept running under read workloads
 * @param observer progress and CPU sampling for the run
 */
public record WorkloadContext(
    Driver driver, KeySpace keys, long maxOps, double backgroundPutRate, RunObserver observer) {

  public WorkloadContext withObserver(RunObserver o) {
    return new WorkloadContext(driver, keys, maxOps, backgroundPutRate, o);
  }
}
