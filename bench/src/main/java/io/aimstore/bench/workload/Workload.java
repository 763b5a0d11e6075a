package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.Driver;
import java.time.Duration;

/**
 * One workload definition, run identically against every system through its {@link
 * io.aimstore.bench.driver.Driver}.
 *
 * <p>To add one: implement this, list it in {@link Workloads}, and give the report a description
 * and, if it measures something other than operations per second and their latency, its metrics
 * ({@code report.Layout}). A workload that needs a primitive beyond the basic driver checks for the
 * driver interface that provides it ({@link #supports}); a system without it gets no number.
 */
public interface Workload {

  /** How often a workload runs. */
  enum Schedule {
    /** In every repetition (the load windows). */
    EVERY_REPETITION,
    /**
     * Once per set of clusters: once in the quick run (one set), in every repetition of the full
     * run (a fresh set each). For workloads with a costly set-up.
     */
    ONCE_PER_SET,
    /**
     * Once per run, on the last set of clusters, after everything else: the fault and footprint
     * workloads, which kill or restart members (a restarted JVM would start the next workload cold)
     * or take long.
     */
    ONCE_PER_RUN
  }

  /** Stable id used in the results file, e.g. {@code put-throughput-64}. */
  String id();

  /** Human title for tables, e.g. "put, 64 in flight". */
  String title();

  /** Operations outstanding at once. */
  int inFlight();

  default Schedule schedule() {
    return Schedule.EVERY_REPETITION;
  }

  /** Whether the warm-up runs it in slices: only loads that need nothing but the driver. */
  default boolean warmsUp() {
    return true;
  }

  /** Whether this system has an equivalent of what the workload measures. */
  default boolean supports(Driver driver) {
    return true;
  }

  /** Whether it runs at this scale at all (the footprint does not in the quick run). */
  default boolean enabled(Scale scale) {
    return true;
  }

  /**
   * Rough wall time of one run on {@code system} (zero where it has no equivalent), for the run's
   * time estimate.
   */
  default Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    return settle.plus(measure).plusMillis(50);
  }

  /** Prepares what the run needs (keys that must exist). Called before every run. */
  default void setUp(WorkloadContext ctx) throws Exception {}

  /**
   * Runs once: {@code settle} unrecorded, then the measured window of {@code measure}. Bounded by
   * those times and by {@link WorkloadContext#maxOps} (fault and footprint workloads: by their
   * trial count and time limits).
   */
  WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure) throws Exception;
}
