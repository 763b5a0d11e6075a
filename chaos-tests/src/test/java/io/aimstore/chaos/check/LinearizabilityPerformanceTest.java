package io.aimstore.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.chaos.history.History;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinearizabilityPerformanceTest {

  @Test
  void fiftyThousandOperationsOverTwentyKeysAndEightClientsTakeSeconds() {
    History history = new RandomHistories(42, 20, 8, 0.01, 0).generate(50_000);
    long start = System.nanoTime();

    LinearizabilityResult result = LinearizabilityChecker.check(history, Duration.ofSeconds(60));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(result.verdict()).as(result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }
}
