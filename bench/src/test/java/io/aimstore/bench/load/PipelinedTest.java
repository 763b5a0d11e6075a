package io.aimstore.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelinedTest {

  @Test
  void runsEveryOperationWithAtMostInFlightOutstanding() throws Exception {
    List<CompletableFuture<Integer>> open = new ArrayList<>();
    AtomicInteger most = new AtomicInteger();
    Thread completer =
        new Thread(
            () -> {
              int done = 0;
              while (done < 100) {
                CompletableFuture<Integer> f = null;
                synchronized (open) {
                  most.accumulateAndGet(open.size(), Math::max);
                  if (!open.isEmpty()) {
                    f = open.remove(0);
                  }
                }
                if (f != null) {
                  f.complete(done++);
                } else {
                  Thread.onSpinWait();
                }
              }
            });
    completer.start();
    Pipelined.Result<Integer> r =
        Pipelined.run(
            100,
            8,
            Duration.ofSeconds(10),
            i -> {
              CompletableFuture<Integer> f = new CompletableFuture<>();
              synchronized (open) {
                open.add(f);
              }
              return f;
            });
    completer.join();

    assertThat(r.issued()).isEqualTo(100);
    assertThat(r.failed()).isZero();
    assertThat(r.succeeded()).isEqualTo(100);
    assertThat(r.values()).hasSize(100).doesNotContainNull();
    assertThat(most.get()).isLessThanOrEqualTo(8);
  }

  @Test
  void failuresAreCountedAndLeaveNulls() throws Exception {
    Pipelined.Result<Integer> r =
        Pipelined.run(
            10,
            4,
            Duration.ofSeconds(10),
            i ->
                i % 2 == 0
                    ? CompletableFuture.completedFuture(i)
                    : CompletableFuture.failedFuture(new IllegalStateException("odd " + i)));

    assertThat(r.failed()).isEqualTo(5);
    assertThat(r.firstError()).startsWith("IllegalStateException: odd");
    assertThat(r.values().get(0)).isZero();
    assertThat(r.values().get(1)).isNull();
  }

  @Test
  void stopsAtTheTimeLimitAndCountsWhatIsOutstanding() throws Exception {
    Pipelined.Result<Integer> r =
        Pipelined.run(1000, 3, Duration.ofMillis(200), i -> new CompletableFuture<>());

    assertThat(r.issued()).isEqualTo(3);
    assertThat(r.failed()).isEqualTo(3);
    assertThat(r.firstError()).contains("outstanding");
  }
}
