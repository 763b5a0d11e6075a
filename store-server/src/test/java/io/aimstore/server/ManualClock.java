package io.aimstore.server;

import java.time.Duration;

/**
 * Time that a test moves by hand, for the code that reads a clock: the monotonic nanoseconds of the
 * leader's lessor, and the wall-clock milliseconds a leader stamps on what it proposes. Tests never
 * sleep for time to pass.
 */
public final class ManualClock {
  private long nanos;

  /** A clock reading {@code startMillis}. */
  public ManualClock(long startMillis) {
    this.nanos = startMillis * 1_000_000;
  }

  public long nanos() {
    return nanos;
  }

  public long millis() {
    return nanos / 1_000_000;
  }

  public void advance(Duration d) {
    nanos += d.toNanos();
  }

  /** Moves the clock to {@code millis}, backwards too (a stamp from a skewed clock). */
  public void setMillis(long millis) {
    nanos = millis * 1_000_000;
  }
}
