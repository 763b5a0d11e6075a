package io.aimstore.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunResultTest {
  private static RunResult result(Verdict v, int lost, String error) {
    return new RunResult(42, 1000, 12, v, lost, 0, 0, error, Path.of("runs/x"));
  }

  @Test
  void theClosingLineHasTheAgreedShape() {
    assertThat(result(Verdict.LINEARIZABLE, 0, null).closingLine())
        .isEqualTo(
            "chaos: ops=1000 faults=12 linearizable=yes lost=0 watch_violations=0"
                + " lock_violations=0 seed=42");
    assertThat(result(Verdict.NOT_LINEARIZABLE, 2, null).closingLine())
        .contains("linearizable=no lost=2");
    assertThat(result(null, 0, "no leader").closingLine()).contains("linearizable=unknown");
  }

  @Test
  void onlyACleanVerdictPasses() {
    assertThat(result(Verdict.LINEARIZABLE, 0, null).exitCode()).isZero();
    assertThat(result(Verdict.UNKNOWN, 0, null).exitCode()).as("unknown is no pass").isEqualTo(1);
    assertThat(result(Verdict.UNKNOWN, 0, null).violationFound()).isFalse();
    assertThat(result(Verdict.NOT_LINEARIZABLE, 0, null).exitCode()).isEqualTo(1);
    assertThat(result(Verdict.LINEARIZABLE, 1, null).exitCode()).isEqualTo(1);
    assertThat(result(null, 0, "no leader").exitCode()).isEqualTo(2);
  }
}
