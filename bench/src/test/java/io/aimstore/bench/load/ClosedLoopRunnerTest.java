package io.aimstore.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClosedLoopRunnerTest {
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  /** An operation that completes after ~1 ms on another thread. */
  private CompletableFuture<Object> slowOp(AtomicInteger outstanding, AtomicInteger peak) {
    int now = outstanding.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
    CompletableFuture<Object> f = new CompletableFuture<>();
    timer.schedule(
        () -> {
          outstanding.decrementAndGet();
          f.complete("ok");
        },
        1,
        TimeUnit.MILLISECONDS);
    return f;
  }

  @Test
  void keepsAtMostInFlightOutstandingAndMeasuresTheWindow() throws Exception {
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();

    RunStats s =
        ClosedLoopRunner.run(
            "t",
            8,
            Duration.ofMillis(50),
            Duration.ofMillis(200),
            Long.MAX_VALUE,
            (slot, seq) -> slowOp(outstanding, peak),
            RunObserver.NONE);

    assertThat(peak.get()).isLessThanOrEqualTo(8);
    assertThat(s.ops()).isPositive();
    assertThat(s.errors()).isZero();
    assertThat(s.windowSeconds()).isBetween(0.15, 0.4);
    assertThat(s.latency().count()).isEqualTo(s.ops());
    assertThat(s.latency().p50()).isGreaterThanOrEqualTo(900); // µs: the op takes >= 1 ms
    assertThat(s.undrained()).isZero();
    assertThat(outstanding.get()).isZero();
  }

  @Test
  void slotsAreNeverSharedByTwoOutstandingOperations() throws Exception {
    boolean[] busy = new boolean[4];
    AtomicInteger clashes = new AtomicInteger();

    ClosedLoopRunner.run(
        "t",
        4,
        Duration.ZERO,
        Duration.ofMillis(100),
        Long.MAX_VALUE,
        (slot, seq) -> {
          synchronized (busy) {
            if (busy[slot]) {
              clashes.incrementAndGet();
            }
            busy[slot] = true;
          }
          CompletableFuture<Object> f = new CompletableFuture<>();
          timer.schedule(
              () -> {
                synchronized (busy) {
                  busy[slot] = false;
                }
                f.complete(null);
              },
              200,
              TimeUnit.MICROSECONDS);
          return f;
        },
        RunObserver.NONE);

    assertThat(clashes.get()).isZero();
  }

  @Test
  void boundedByCountAndCountsFailures() throws Exception {
    AtomicInteger issued = new AtomicInteger();

    RunStats s =
        ClosedLoopRunner.run(
            "t",
            1,
            Duration.ZERO,
            Duration.ofSeconds(30),
            100,
            (slot, seq) -> {
              issued.incrementAndGet();
              return seq % 2 == 0
                  ? CompletableFuture.completedFuture("ok")
                  : CompletableFuture.failedFuture(new IllegalStateException("boom"));
            },
            RunObserver.NONE);

    assertThat(s.ops() + s.errors()).isEqualTo(100);
    assertThat(s.errors()).isEqualTo(50);
    assertThat(s.firstError()).isEqualTo("IllegalStateException: boom");
    assertThat(issued.get()).isEqualTo(100);
  }

  @Test
  void observerSeesTheWindowOpenAndClose() throws Exception {
    StringBuilder events = new StringBuilder();
    RunObserver o =
        new RunObserver() {
          @Override
          public void started(
              String label, Duration settle, Duration measure, java.util.function.LongSupplier c) {
            events.append("start ");
          }

          @Override
          public void windowOpened() {
            events.append("open ");
          }

          @Override
          public void windowClosed() {
            events.append("close ");
          }

          @Override
          public void finished() {
            events.append("end");
          }
        };

    ClosedLoopRunner.run(
        "t",
        2,
        Duration.ofMillis(20),
        Duration.ofMillis(20),
        Long.MAX_VALUE,
        (slot, seq) -> CompletableFuture.completedFuture(null),
        o);

    assertThat(events.toString()).isEqualTo("start open close end");
  }
}
