package io.aimstore.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aimstore.chaos.check.LockViolation.Kind;
import io.aimstore.chaos.history.FencedWrite;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LockCheckerTest {

  private static FencedWrite increment(int client, long token, long read, long revision) {
    return new FencedWrite("lock", token, client, read, read + 1, revision);
  }

  @Test
  void fencedIncrementsInTokenOrderAreCorrect() {
    List<FencedWrite> writes =
        List.of(
            increment(2, 20, 2, 30),
            increment(1, 10, 0, 11),
            increment(1, 10, 1, 12),
            new FencedWrite("other", 5, 3, 0, 1, 13));

    assertThat(LockChecker.check(writes, Map.of("lock", 3L, "other", 1L))).isEmpty();
  }

  @Test
  void aNonMonotonicTokenIsReported() {
    List<FencedWrite> writes =
        List.of(increment(1, 10, 0, 11), increment(2, 20, 1, 21), increment(1, 10, 2, 22));

    assertThat(LockChecker.check(writes, Map.of("lock", 3L)))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.kind()).isEqualTo(Kind.TOKEN_REGRESSION);
              assertThat(v.revision()).isEqualTo(22);
              assertThat(v.detail())
                  .isEqualTo(
                      "client 1 token 10 read 2 wrote 3 @22 after client 2 token 20 read 1 wrote 2 @21");
            });
  }

  @Test
  void twoHoldersWithOneTokenAreReported() {
    List<FencedWrite> writes = List.of(increment(1, 10, 0, 11), increment(2, 10, 1, 12));

    assertThat(LockChecker.check(writes, Map.of("lock", 2L)))
        .extracting(LockViolation::kind, LockViolation::revision)
        .containsExactly(tuple(Kind.SHARED_TOKEN, 12L));
  }

  @Test
  void aLostUpdateIsReportedWithTheFinalCounter() {
    List<FencedWrite> writes =
        List.of(increment(1, 10, 0, 11), increment(2, 20, 0, 21), increment(3, 30, 1, 31));

    List<LockViolation> violations = LockChecker.check(writes, Map.of("lock", 2L));

    assertThat(violations)
        .extracting(LockViolation::kind)
        .containsExactly(Kind.LOST_UPDATE, Kind.FINAL_COUNTER);
    assertThat(violations.get(0).revision()).isEqualTo(21);
    assertThat(violations.get(1))
        .hasToString("FINAL_COUNTER lock lock: counter is 2 after 3 accepted increments");
  }

  @Test
  void aMissingCounterIsReported() {
    assertThat(LockChecker.check(List.of(increment(1, 10, 0, 11)), Map.of()))
        .extracting(LockViolation::detail)
        .containsExactly("counter is missing after 1 accepted increments");
  }
}
