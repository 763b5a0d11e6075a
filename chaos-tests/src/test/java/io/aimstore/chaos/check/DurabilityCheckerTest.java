package io.aimstore.chaos.check;

import static io.aimstore.chaos.check.Ops.atRevision;
import static io.aimstore.chaos.check.Ops.cas;
import static io.aimstore.chaos.check.Ops.delete;
import static io.aimstore.chaos.check.Ops.fail;
import static io.aimstore.chaos.check.Ops.history;
import static io.aimstore.chaos.check.Ops.info;
import static io.aimstore.chaos.check.Ops.read;
import static io.aimstore.chaos.check.Ops.txn;
import static io.aimstore.chaos.check.Ops.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.StoredValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DurabilityCheckerTest {

  private static StoredValue stored(Object value) {
    return new StoredValue(value, 0);
  }

  @Test
  void everyKeyShowingItsLastWriteIsDurable() {
    History history =
        history(
            write(0, "x", "a", 0, 10),
            write(0, "x", "b", 20, 30),
            write(1, "y", 1L, 0, 10),
            read(1, "y", 1L, 20, 30));

    assertThat(DurabilityChecker.check(history, Map.of("x", stored("b"), "y", stored(1L))))
        .isEmpty();
  }

  @Test
  void aWriteOverwrittenByAnEarlierValueIsLost() {
    Operation lost = write(0, "x", "b", 20, 30);
    History history = history(write(0, "x", "a", 0, 10), lost);

    assertThat(DurabilityChecker.check(history, Map.of("x", stored("a"))))
        .containsExactly(new LostWrite("x", lost, "b", stored("a")));
  }

  @Test
  void aMissingKeyLosesItsWrites() {
    Operation lost = write(0, "x", "a", 0, 10);

    assertThat(DurabilityChecker.check(history(lost), Map.of()))
        .singleElement()
        .hasToString(
            "key x: acknowledged \"a\" by p0 w x \"a\" (OK, 0..10) is lost; the final read found"
                + " nil");
  }

  @Test
  void concurrentWritesMayEndInEitherValue() {
    History history = history(write(0, "x", "a", 0, 100), write(1, "x", "b", 0, 100));

    assertThat(DurabilityChecker.check(history, Map.of("x", stored("a")))).isEmpty();
    assertThat(DurabilityChecker.check(history, Map.of("x", stored("b")))).isEmpty();
  }

  @Test
  void anIndeterminateWriteMaySupersedeAcknowledgedOnes() {
    History history = history(info(write(1, "x", "late", 0, 5)), write(0, "x", "a", 10, 20));

    assertThat(DurabilityChecker.check(history, Map.of("x", stored("late")))).isEmpty();
  }

  @Test
  void aFailedWriteCannotSupersedeAnything() {
    Operation lost = write(0, "x", "a", 0, 10);
    History history = history(lost, fail(write(1, "x", "failed", 20, 30)));

    assertThat(DurabilityChecker.check(history, Map.of("x", stored("failed"))))
        .extracting(LostWrite::write)
        .containsExactly(lost);
  }

  @Test
  void anAcknowledgedDeleteIsKeptByAMissingKey() {
    Operation del = delete(0, "x", 20, 30);
    History history = history(write(0, "x", "a", 0, 10), del);

    assertThat(DurabilityChecker.check(history, Map.of())).isEmpty();
    assertThat(DurabilityChecker.check(history, Map.of("x", stored("a"))))
        .containsExactly(new LostWrite("x", del, null, stored("a")));
  }

  @Test
  void onlySuccessfulCompareAndSetsAreAcknowledgedWrites() {
    History history =
        history(
            write(0, "x", 0L, 0, 10),
            cas(1, "x", 5L, 6L, false, 20, 30),
            cas(1, "x", 0L, 1L, true, 40, 50));

    assertThat(DurabilityChecker.check(history, Map.of("x", stored(1L)))).isEmpty();
    assertThat(DurabilityChecker.check(history, Map.of("x", stored(0L))))
        .extracting(LostWrite::value)
        .containsExactly(1L);
  }

  @Test
  void transactionsWriteEachOfTheirKeys() {
    Operation both = txn(0, 0, 10, Access.write("x", "a"), null, Access.write("y", "b"), null);

    assertThat(DurabilityChecker.check(history(both), Map.of("x", stored("a"))))
        .containsExactly(new LostWrite("y", both, "b", null));
  }

  @Test
  void revisionsOrderConcurrentWritesAndIdentifyTheSurvivor() {
    Operation first = atRevision(write(0, "x", "a", 0, 100), 5);
    Operation second = atRevision(write(1, "x", "b", 0, 100), 7);
    History history = history(first, second);

    assertThat(DurabilityChecker.check(history, Map.of("x", new StoredValue("b", 7)))).isEmpty();
    assertThat(DurabilityChecker.check(history, Map.of("x", new StoredValue("a", 5))))
        .extracting(LostWrite::write)
        .containsExactly(second);
  }

  @Test
  void anEqualValueAtAnotherRevisionIsNotTheWriteItself() {
    Operation lost = atRevision(write(0, "x", "same", 0, 10), 5);

    assertThat(DurabilityChecker.check(history(lost), Map.of("x", new StoredValue("same", 9))))
        .extracting(LostWrite::write)
        .containsExactly(lost);
  }
}
