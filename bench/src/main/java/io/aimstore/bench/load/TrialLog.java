package io.aimstore.bench.load;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Outcomes of the trials of a fault workload (failover, ghost-lock, session expiry): each trial
 * measures one duration, or fails. Reported like a load run: "operations" are successful trials,
 * the latency percentiles are over the trial durations, the window is the time all trials took.
 */
public final class TrialLog {
  private final Histogram histogram = new Histogram(3);
  private final List<Double> millis = new ArrayList<>();
  private final long startNanos;
  private long failed;
  private String firstError;
  private String lastError;

  public TrialLog() {
    this(System.nanoTime());
  }

  TrialLog(long startNanos) {
    this.startNanos = startNanos;
  }

  /** A trial that measured {@code nanos}. */
  public synchronized void measured(long nanos) {
    histogram.recordValue(Math.max(1, nanos));
    millis.add(Math.round(nanos / 1e4) / 100.0);
  }

  /** A trial that measured nothing. */
  public synchronized void failed(String why) {
    failed++;
    lastError = why;
    if (firstError == null) {
      firstError = why;
    }
  }

  /**
   * "1234 ms" for the trial just finished if it measured something (more trials have completed than
   * {@code completedBefore}), else "failed: WHY".
   */
  public synchronized String describeLast(int completedBefore) {
    if (millis.size() > completedBefore) {
      return String.format(java.util.Locale.ROOT, "%.0f ms", millis.get(millis.size() - 1));
    }
    return "failed: " + lastError;
  }

  public synchronized int completed() {
    return millis.size();
  }

  /** Every measured duration in milliseconds (two decimals), in trial order. */
  public synchronized List<Double> millis() {
    return List.copyOf(millis);
  }

  public synchronized RunStats stats(long nowNanos) {
    return new RunStats(
        millis.size(),
        failed,
        Math.max(0, nowNanos - startNanos) / 1e9,
        LatencySummary.ofNanos(histogram),
        firstError,
        0);
  }

  public RunStats stats() {
    return stats(System.nanoTime());
  }
}
