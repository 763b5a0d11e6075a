package io.aimstore.bench.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * An open-loop load on the calling thread: one operation per tick at a fixed rate, whatever the
 * system's latency, at most as many outstanding as {@code inFlight} has permits; a tick with none
 * free is skipped (and counted). Operations are numbered 0, 1, 2, ... in the order issued.
 */
public final class OpenLoop {
  private OpenLoop() {}

  /**
   * Runs until {@code endNanos} ({@link System#nanoTime()}) or {@code stopping}.
   *
   * @param atTick called with the time on every turn of the loop, before the end is checked
   * @param issue issues operation {@code seq}; its future's completion frees the permit
   * @return the ticks skipped because every permit was taken
   */
  public static long run(
      double ratePerSecond,
      Semaphore inFlight,
      long endNanos,
      BooleanSupplier stopping,
      LongConsumer atTick,
      LongFunction<CompletableFuture<?>> issue) {
    long period = (long) (1e9 / ratePerSecond);
    long next = System.nanoTime();
    long seq = 0;
    long skipped = 0;
    while (!stopping.getAsBoolean()) {
      long now = System.nanoTime();
      atTick.accept(now);
      if (now >= endNanos) {
        break;
      }
      if (now < next) {
        LockSupport.parkNanos(Math.min(next - now, 1_000_000));
        continue;
      }
      next += period;
      if (!inFlight.tryAcquire()) {
        skipped++;
        continue;
      }
      CompletableFuture<?> f;
      try {
        f = issue.apply(seq++);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((r, e) -> inFlight.release());
    }
    return skipped;
  }

  /** {@code call}'s future, or a failed one if it throws instead of returning one. */
  public static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
