package io.aimstore.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.testkit.Commands;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proof that the instrument works: with a deliberate bug switched on in the server processes
 * (test-only failpoints, {@code AIMSTORE_FAILPOINTS}), the chaos run must report a violation and
 * exit non-zero.
 */
class FailpointsIT {

  /**
   * Linearizable reads that skip ReadIndex: a follower cut off from the majority goes on serving
   * the values it had, while the majority writes new ones; its own reader sees the old values after
   * newer writes were acknowledged.
   */
  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void staleReadsAreReportedAsNotLinearizable() throws Exception {
    RunResult result = run(Profile.staleReads());

    assertThat(result.linearizable()).as(result.closingLine()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.exitCode()).isNotZero();
  }

  /**
   * Puts acknowledged before Raft commits them: a read that starts after the acknowledgement can
   * miss the write, and a write in flight when the leader is killed is lost.
   */
  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void acknowledgingBeforeCommitIsReported() throws Exception {
    RunResult result = run(Profile.ackBeforeCommit());

    assertThat(result.violationFound()).as(result.closingLine()).isTrue();
    assertThat(result.linearizable()).as(result.closingLine()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.exitCode()).isNotZero();
  }

  private static RunResult run(Profile profile) throws Exception {
    RunResult result =
        ChaosRun.run(
            new ChaosRun.Options(profile, ChaosIT.seed(), 0, ChaosIT.runsDir(), false), System.out);
    assertThat(result.error()).as("the run itself broke: " + result.dir()).isNull();
    // the expected failure needs no forensics: drop the members' data and binaries
    ChaosRun.deleteData(result.dir().resolve("cluster"));
    Commands.deleteTree(result.dir().resolve("bin"));
    return result;
  }
}
