package io.aimstore.bench.workload;

import java.time.Duration;

/**
 * One workload definition, run identically against every system through its {@link
 * io.aimstore.bench.driver.Driver}.
 *
 * <p>To add one (leases, locks, watches, failover, footprint): implement this, list it in {@link
 * Workloads}, and give the report a title for it; a workload that needs a primitive beyond the
 * basic driver checks for the driver interface that provides it.
 */
public interface Workload {
  /** Stable id used in the results file, e.g. {@code put-throughput-64}. */
  String id();

  /** Human title for tables, e.g. "put, 64 in flight". */
  String title();

  /** Operations outstanding at once. */
  int inFlight();

  /** Prepares what the run needs (keys that must exist). Called before every run. */
  default void setUp(WorkloadContext ctx) throws Exception {}

  /**
   * Runs once: {@code settle} unrecorded, then the measured window of {@code measure}. Bounded by
   * those times and by {@link WorkloadContext#maxOps}.
   */
  WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure) throws Exception;
}
