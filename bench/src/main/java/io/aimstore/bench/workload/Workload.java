package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.load.ClosedLoopRunner;
import io.aimstore.bench.load.RunStats;
import io.aimstore.bench.load.SlotOp;
import java.time.Duration;
import java.util.List;

/**
 * One workload definition, run identically against every system through its {@link
 * io.aimstore.bench.driver.Driver}.
 *
 * <p>To add one: extend this, list it in {@link Workloads}, and give the report a description and,
 * if it measures something other than operations per second and their latency, its metrics ({@code
 * report.Layout}). A workload that needs a primitive beyond the basic driver names the driver
 * interfaces that provide it ({@link #supports}); a system without them gets no number. The fault
 * workloads run their trials with {@link Trials}.
 */
public abstract class Workload {

  /** How often a workload runs. */
  public enum Schedule {
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

  private final String id;
  private final String title;
  private final int inFlight;
  private final Schedule schedule;
  private final List<Class<?>> needs;

  /**
   * @param id stable id used in the results file, e.g. {@code put-throughput-64}
   * @param title human title for tables, e.g. "put, 64 in flight"
   * @param inFlight operations outstanding at once
   * @param schedule how often it runs
   * @param needs driver interfaces of which a system must offer one (none: any driver)
   */
  protected Workload(String id, String title, int inFlight, Schedule schedule, Class<?>... needs) {
    this.id = id;
    this.title = title;
    this.inFlight = inFlight;
    this.schedule = schedule;
    this.needs = List.of(needs);
  }

  public final String id() {
    return id;
  }

  public final String title() {
    return title;
  }

  public final int inFlight() {
    return inFlight;
  }

  public final Schedule schedule() {
    return schedule;
  }

  /** Whether the warm-up runs it in slices: the load windows, which need nothing but the driver. */
  public final boolean warmsUp() {
    return schedule == Schedule.EVERY_REPETITION;
  }

  /** Whether this system has an equivalent of what the workload measures. */
  public final boolean supports(Driver driver) {
    return needs.isEmpty() || needs.stream().anyMatch(n -> n.isInstance(driver));
  }

  /** Whether it runs at this scale at all (the footprint does not in the quick run). */
  public boolean enabled(Scale scale) {
    return true;
  }

  /**
   * Rough wall time of one run on {@code system} (zero where it has no equivalent), for the run's
   * time estimate.
   */
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    return settle.plus(measure).plusMillis(50);
  }

  /**
   * Runs once: {@code settle} unrecorded, then the measured window of {@code measure}. Bounded by
   * those times and by {@link WorkloadContext#maxOps} (fault and footprint workloads: by their
   * trial count and time limits).
   */
  public abstract WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception;

  /**
   * {@link #inFlight} of {@code op} outstanding, closed loop, observed by the context's observer.
   */
  protected final RunStats closedLoop(
      WorkloadContext ctx, Duration settle, Duration measure, SlotOp op)
      throws InterruptedException {
    return ClosedLoopRunner.run(id, inFlight, settle, measure, ctx.maxOps(), op, ctx.observer());
  }
}
