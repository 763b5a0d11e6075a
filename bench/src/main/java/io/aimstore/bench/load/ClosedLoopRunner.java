package io.aimstore.bench.load;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load: keeps exactly {@code inFlight} operations outstanding (a new one is issued
 * the moment one completes), first for an unrecorded settle period, then for the measured window.
 * Bounded in time (settle + window) and in count ({@code maxOps} completions in the window).
 *
 * <p>Counted in the window: operations that complete inside it, whenever they were issued; their
 * latency is issue-to-completion. Being closed-loop, it does not model coordinated omission: it
 * measures what a client with this many requests outstanding sees.
 */
public final class ClosedLoopRunner {
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

  private ClosedLoopRunner() {}

  public static RunStats run(
      String label,
      int inFlight,
      Duration settle,
      Duration measure,
      long maxOps,
      SlotOp op,
      RunObserver observer)
      throws InterruptedException {
    if (inFlight < 1) {
      throw new IllegalArgumentException("inFlight must be >= 1");
    }
    ArrayBlockingQueue<Integer> free = new ArrayBlockingQueue<>(inFlight);
    for (int i = 0; i < inFlight; i++) {
      free.add(i);
    }
    Recorder recorder = new Recorder(3);
    LongAdder completed = new LongAdder();
    LongAdder ok = new LongAdder();
    LongAdder failed = new LongAdder();
    AtomicReference<String> firstError = new AtomicReference<>();

    long start = System.nanoTime();
    long windowStart = start + settle.toNanos();
    // Lowered to the moment the loop stops, so late completions are not counted.
    Window window = new Window(windowStart + measure.toNanos());
    boolean[] windowOpen = {false};

    observer.started(label, settle, measure, completed::sum);
    if (settle.isZero()) {
      observer.windowOpened();
      windowOpen[0] = true;
    }
    long seq = 0;
    while (true) {
      long now = System.nanoTime();
      if (!windowOpen[0] && now >= windowStart) {
        observer.windowOpened();
        windowOpen[0] = true;
      }
      if (now >= window.end || ok.sum() + failed.sum() >= maxOps) {
        break;
      }
      long waitUntil = windowOpen[0] ? window.end : windowStart;
      Integer slot = free.poll(Math.max(1, waitUntil - now), TimeUnit.NANOSECONDS);
      if (slot == null) {
        continue;
      }
      long issued = System.nanoTime();
      CompletableFuture<?> f;
      try {
        f = op.issue(slot, seq++);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete(
          (r, e) -> {
            long done = System.nanoTime();
            completed.increment();
            if (done >= windowStart && done <= window.end) {
              if (e == null) {
                recorder.recordValue(Math.max(1, done - issued));
                ok.increment();
              } else {
                failed.increment();
                firstError.compareAndSet(null, describe(e));
              }
            }
            free.add(slot);
          });
    }
    window.end = Math.min(window.end, System.nanoTime());
    if (!windowOpen[0]) {
      observer.windowOpened();
    }
    observer.windowClosed();
    double windowSeconds = Math.max(0, window.end - windowStart) / 1e9;

    // Wait for the operations still outstanding so the next run starts on a quiet system (and
    // callbacks of operations that completed inside the window have recorded).
    long drainDeadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    while (free.size() < inFlight && System.nanoTime() < drainDeadline) {
      Thread.sleep(1);
    }
    Histogram h = recorder.getIntervalHistogram();
    long okOps = ok.sum();
    long errors = failed.sum();
    observer.finished();
    return new RunStats(
        okOps,
        errors,
        windowSeconds,
        LatencySummary.ofNanos(h),
        firstError.get(),
        inFlight - free.size());
  }

  private static final class Window {
    volatile long end;

    Window(long end) {
      this.end = end;
    }
  }

  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
