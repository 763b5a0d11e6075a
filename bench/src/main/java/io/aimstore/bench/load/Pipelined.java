package io.aimstore.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Bulk set-up and clean-up work (granting or revoking thousands of leases, writing a history):
 * {@code count} asynchronous operations with at most {@code inFlight} outstanding, bounded by a
 * time limit. Not measured as a workload.
 */
public final class Pipelined {
  private Pipelined() {}

  /**
   * What a bulk run did.
   *
   * @param values the result of operation i at index i, null where it failed or was not issued
   * @param issued operations issued before the limit
   * @param failed operations that failed (or were still outstanding at the limit)
   * @param seconds wall time
   */
  public record Result<T>(
      List<T> values, int issued, long failed, String firstError, double seconds) {
    public long succeeded() {
      return issued - failed;
    }
  }

  public static <T> Result<T> run(
      int count, int inFlight, Duration limit, IntFunction<CompletableFuture<T>> op)
      throws InterruptedException {
    AtomicReferenceArray<T> values = new AtomicReferenceArray<>(count);
    Semaphore window = new Semaphore(inFlight);
    AtomicLong failed = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    int issued = 0;
    for (int i = 0; i < count; i++) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !window.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        break;
      }
      int index = i;
      CompletableFuture<T> f;
      try {
        f = op.apply(i);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      issued++;
      f.whenComplete(
          (v, e) -> {
            if (e == null) {
              values.set(index, v);
            } else {
              failed.incrementAndGet();
              firstError.compareAndSet(null, ClosedLoopRunner.describe(e));
            }
            window.release();
          });
    }
    long left = Math.max(1, deadline - System.nanoTime());
    boolean drained = window.tryAcquire(inFlight, left, TimeUnit.NANOSECONDS);
    long outstanding = drained ? 0 : inFlight - window.availablePermits();
    if (drained) {
      window.release(inFlight);
    }
    List<T> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(values.get(i));
    }
    return new Result<>(
        Collections.unmodifiableList(list),
        issued,
        failed.get() + outstanding,
        firstError.get() != null
            ? firstError.get()
            : (outstanding > 0 ? outstanding + " still outstanding at the time limit" : null),
        (System.nanoTime() - start) / 1e9);
  }
}
