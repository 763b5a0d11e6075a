package io.aimstore.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.chaos.history.History;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RandomizedLinearizabilityTest {

  private static final int SEEDS = 200;
  private static final Duration BUDGET = Duration.ofSeconds(10);

  /** Histories of a real register (no transactions), and of a real map with transactions. */
  @ParameterizedTest(name = "{0} clients, {1} of the operations transactions")
  @CsvSource({"3, 0", "4, 0.2"})
  void historiesOfARealStoreAreLinearizable(int clients, double txnShare) {
    for (long seed = 0; seed < SEEDS; seed++) {
      History history = new RandomHistories(seed, clients, 5, 0.05, txnShare).generate(300);

      LinearizabilityResult result = LinearizabilityChecker.check(history, BUDGET);

      assertThat(result.verdict())
          .as("seed %d: %s", seed, result.explanation())
          .isEqualTo(Verdict.LINEARIZABLE);
    }
  }

  @Test
  void aReadOfAValueNeverWrittenIsAlwaysCaught() {
    for (long seed = 0; seed < SEEDS; seed++) {
      History history = new RandomHistories(seed, 3, 5, 0.05, 0.1).generate(300);
      Random random = new Random(seed);

      History mutated = RandomHistories.withReadChanged(history, random, "never written");

      assertThat(LinearizabilityChecker.check(mutated, BUDGET).verdict())
          .as("seed %d", seed)
          .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }
  }

  @Test
  void aReadOfAnotherWrittenValueIsMostlyCaught() {
    int caught = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      History history = new RandomHistories(seed, 3, 5, 0.05, 0).generate(300);
      Random random = new Random(seed);

      History mutated = RandomHistories.withReadChanged(history, random, null);

      Verdict verdict = LinearizabilityChecker.check(mutated, BUDGET).verdict();
      assertThat(verdict).isNotEqualTo(Verdict.UNKNOWN);
      caught += verdict == Verdict.NOT_LINEARIZABLE ? 1 : 0;
    }
    assertThat(caught).isGreaterThan(SEEDS * 8 / 10);
  }
}
