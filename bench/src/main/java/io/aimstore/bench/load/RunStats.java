package io.aimstore.bench.load;

/**
 * What one load run measured in its window.
 *
 * @param ops operations that completed successfully inside the window
 * @param errors operations that failed inside the window
 * @param windowSeconds length of the measured window
 * @param latency latency of the successful operations
 * @param firstError message of the first failure, or null
 * @param undrained operations still outstanding when the run gave up waiting for them
 */
public record RunStats(
    long ops,
    long errors,
    double windowSeconds,
    LatencySummary latency,
    String firstError,
    int undrained) {

  public double opsPerSecond() {
    return windowSeconds <= 0 ? 0 : ops / windowSeconds;
  }
}
