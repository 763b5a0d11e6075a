package io.aimstore.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.testkit.BuildSnapshot;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short chaos profile: three real server processes behind fault-injecting proxies, two minutes
 * of every kind of fault under the register, fenced-counter and watch workloads, then the four
 * checkers. Its seed is random unless {@code -Dchaos.seed=S} is given; a failing run prints the
 * command that replays it and keeps its files under {@code chaos-tests/runs/}.
 */
class ChaosIT {

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void theShortProfileFindsNoViolation() throws Exception {
    long seed = seed();
    RunResult result =
        ChaosRun.run(new ChaosRun.Options(Profile.quick(), seed, 0, runsDir(), false), System.out);

    assertThat(result.error()).as("the run itself broke: " + result.dir()).isNull();
    assertThat(result.passed())
        .as(result.closingLine() + "; report and history kept in " + result.dir())
        .isTrue();
    assertThat(result.faults()).as("faults injected").isGreaterThanOrEqualTo(3);
  }

  static long seed() {
    Long configured = Long.getLong("chaos.seed");
    return configured != null ? configured : ThreadLocalRandom.current().nextLong(1, 1L << 48);
  }

  static Path runsDir() {
    return BuildSnapshot.repoRoot().resolve("chaos-tests/runs");
  }
}
