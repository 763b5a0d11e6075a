package io.aimstore.chaos.check;

import static io.aimstore.chaos.check.Ops.cas;
import static io.aimstore.chaos.check.Ops.delete;
import static io.aimstore.chaos.check.Ops.fail;
import static io.aimstore.chaos.check.Ops.history;
import static io.aimstore.chaos.check.Ops.info;
import static io.aimstore.chaos.check.Ops.read;
import static io.aimstore.chaos.check.Ops.txn;
import static io.aimstore.chaos.check.Ops.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LinearizabilityCheckerTest {

  private static final Duration BUDGET = Duration.ofSeconds(10);

  static Stream<Arguments> linearizable() {
    return Stream.of(
        Arguments.of("empty history", history()),
        Arguments.of("read of a missing key is nil", history(read(0, "x", null, 0, 10))),
        Arguments.of(
            "read after write", history(write(0, "x", "a", 0, 10), read(1, "x", "a", 20, 30))),
        Arguments.of(
            "read concurrent with a write sees the old value",
            history(
                write(0, "x", 1L, 0, 10), write(0, "x", 2L, 20, 100), read(1, "x", 1L, 30, 40))),
        Arguments.of(
            "read concurrent with a write sees the new value",
            history(
                write(0, "x", 1L, 0, 10), write(0, "x", 2L, 20, 100), read(1, "x", 2L, 30, 40))),
        Arguments.of(
            "operations that touch in time count as concurrent",
            history(write(0, "x", "a", 0, 10), read(1, "x", null, 10, 20))),
        Arguments.of(
            "concurrent writes read as the first order",
            history(
                write(0, "x", "a", 0, 100),
                write(1, "x", "b", 0, 100),
                read(2, "x", "a", 110, 120),
                read(2, "x", "a", 130, 140))),
        Arguments.of(
            "concurrent writes read as the other order",
            history(
                write(0, "x", "a", 0, 100),
                write(1, "x", "b", 0, 100),
                read(2, "x", "b", 110, 120))),
        Arguments.of(
            "read sees an indeterminate write",
            history(
                write(0, "x", "a", 0, 10),
                info(write(1, "x", "b", 20, 30)),
                read(2, "x", "b", 40, 50))),
        Arguments.of(
            "read after an indeterminate write sees the old value: it never happened",
            history(
                write(0, "x", "a", 0, 10),
                info(write(1, "x", "b", 20, 30)),
                read(2, "x", "a", 40, 50))),
        Arguments.of(
            "indeterminate write takes effect long after its client gave up",
            history(
                info(write(1, "x", "b", 0, 10)),
                read(2, "x", null, 20, 30),
                read(2, "x", "b", 40, 50))),
        Arguments.of(
            "failed write and indeterminate read leave no trace",
            history(
                fail(write(0, "x", "a", 0, 10)),
                info(read(1, "x", "zzz", 0, 10)),
                read(2, "x", null, 20, 30))),
        Arguments.of(
            "CAS chain",
            history(
                write(0, "x", 0L, 0, 10),
                cas(1, "x", 0L, 1L, true, 20, 30),
                cas(2, "x", 1L, 2L, true, 40, 50),
                cas(1, "x", 1L, 3L, false, 60, 70),
                read(0, "x", 2L, 80, 90))),
        Arguments.of(
            "concurrent CASes, one wins",
            history(
                write(0, "x", 0L, 0, 10),
                cas(1, "x", 0L, 1L, false, 20, 50),
                cas(2, "x", 0L, 2L, true, 20, 50),
                read(0, "x", 2L, 60, 70))),
        Arguments.of(
            "CAS creating a missing key",
            history(cas(0, "x", null, "a", true, 0, 10), read(1, "x", "a", 20, 30))),
        Arguments.of(
            "indeterminate CAS that happened",
            history(
                write(0, "x", "a", 0, 10),
                info(cas(1, "x", "a", "b", false, 20, 30)),
                read(0, "x", "b", 40, 50))),
        Arguments.of(
            "delete then read nil",
            history(write(0, "x", "a", 0, 10), delete(1, "x", 20, 30), read(0, "x", null, 40, 50))),
        Arguments.of(
            "values are typed: the long 1 and the string \"1\" both exist",
            history(
                write(0, "x", 1L, 0, 10), write(0, "x", "1", 20, 30), read(1, "x", "1", 40, 50))),
        Arguments.of(
            "transactions apply atomically",
            history(
                txn(0, 0, 100, Access.write("x", 1L), null, Access.write("y", 1L), null),
                txn(1, 10, 90, Access.read("x"), null, Access.read("y"), null),
                txn(2, 20, 80, Access.read("x"), 1L, Access.read("y"), 1L))),
        Arguments.of(
            "transaction CAS across keys",
            history(
                txn(0, 0, 10, Access.write("x", "a"), null, Access.write("y", "b"), null),
                txn(1, 20, 30, Access.cas("x", "a", "c"), true, Access.cas("y", "a", "c"), false),
                read(2, "x", "c", 40, 50),
                read(2, "y", "b", 60, 70))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void linearizable(String name, History history) {
    LinearizabilityResult result = LinearizabilityChecker.check(history, BUDGET);

    assertThat(result.verdict()).as(result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
  }

  static Stream<Arguments> notLinearizable() {
    return Stream.of(
        Arguments.of(
            "stale read after a completed write",
            history(
                write(0, "x", "a", 0, 10), write(0, "x", "b", 20, 30), read(1, "x", "a", 40, 50))),
        Arguments.of("read of a value nobody wrote", history(read(0, "x", "a", 0, 10))),
        Arguments.of(
            "read nil after a completed write",
            history(write(0, "x", "a", 0, 10), read(1, "x", null, 20, 30))),
        Arguments.of(
            "concurrent writes read in both orders after they completed",
            history(
                write(0, "x", "a", 0, 100),
                write(1, "x", "b", 0, 100),
                read(2, "x", "b", 110, 120),
                read(2, "x", "a", 130, 140))),
        Arguments.of(
            "read of a failed write",
            history(fail(write(0, "x", "a", 0, 10)), read(1, "x", "a", 20, 30))),
        Arguments.of(
            "read of an indeterminate write before it was invoked",
            history(read(1, "x", "b", 0, 10), info(write(0, "x", "b", 20, 30)))),
        Arguments.of(
            "the same CAS succeeding twice",
            history(
                write(0, "x", 0L, 0, 10),
                cas(1, "x", 0L, 1L, true, 20, 30),
                cas(2, "x", 0L, 1L, true, 40, 50))),
        Arguments.of(
            "lost update: two concurrent CASes from the same value both succeed",
            history(
                write(0, "x", 0L, 0, 10),
                read(1, "x", 0L, 20, 30),
                read(2, "x", 0L, 20, 30),
                cas(1, "x", 0L, 1L, true, 40, 60),
                cas(2, "x", 0L, 1L, true, 40, 60))),
        Arguments.of(
            "CAS that fails although the value matched",
            history(write(0, "x", 0L, 0, 10), cas(1, "x", 0L, 1L, false, 20, 30))),
        Arguments.of(
            "read after a delete",
            history(write(0, "x", "a", 0, 10), delete(1, "x", 20, 30), read(0, "x", "a", 40, 50))),
        Arguments.of(
            "torn transaction: x written, y not yet",
            history(
                txn(0, 0, 100, Access.write("x", 1L), null, Access.write("y", 1L), null),
                txn(1, 10, 90, Access.read("x"), 1L, Access.read("y"), null))),
        Arguments.of(
            "single-key reads and a transaction tie keys together",
            history(
                txn(0, 0, 10, Access.write("x", 1L), null, Access.write("y", 1L), null),
                read(1, "x", 1L, 20, 30),
                read(1, "y", null, 40, 50))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void notLinearizable(String name, History history) {
    LinearizabilityResult result = LinearizabilityChecker.check(history, BUDGET);

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains("not linearizable");
  }

  @Test
  void explainsTheKeyThePrefixAndTheOperationThatCannotBePlaced() {
    Operation stale = read(1, "x", "a", 40, 50);
    History history =
        history(
            write(0, "y", "ok", 0, 10),
            write(0, "x", "a", 0, 10),
            write(0, "x", "b", 20, 30),
            stale);

    LinearizabilityResult result = LinearizabilityChecker.check(history, BUDGET);

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.explanation())
        .contains("keys [x]: not linearizable")
        .doesNotContain("keys [y]")
        .contains("the longest linearizable prefix found has 2 of 3 operations")
        .contains("leaving x=\"b\"")
        .contains("could not be linearized before it returned:\n    " + stale)
        .contains("p0 w x \"b\" (OK, 20..30)");
  }

  @Test
  void reportsEveryFailingKey() {
    History history =
        history(read(0, "x", "a", 0, 10), read(0, "y", "b", 0, 10), read(0, "z", null, 0, 10));

    LinearizabilityResult result = LinearizabilityChecker.check(history, BUDGET);

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains("keys [x]", "keys [y]").doesNotContain("keys [z]");
  }

  @Test
  void outOfTimeIsUnknownNeverLinearizable() {
    long start = System.nanoTime();

    LinearizabilityResult result =
        LinearizabilityChecker.check(exponentialHistory(), Duration.ofMillis(200));

    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.explanation()).contains("keys [x]: out of time");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aFailingKeyWinsOverAnUnknownOne() {
    List<Operation> ops = new ArrayList<>(exponentialHistory().operations());
    ops.add(read(9, "a", "never written", 0, 10));

    LinearizabilityResult result =
        LinearizabilityChecker.check(new History(ops), Duration.ofMillis(200));

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains("keys [a]: not linearizable");
  }

  /** Many concurrent writes and a read that fits none of them: the search tries every subset. */
  private static History exponentialHistory() {
    List<Operation> ops = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ops.add(write(i, "x", (long) i, 0, 1000));
    }
    ops.add(read(40, "x", "never written", 0, 1000));
    return new History(ops);
  }
}
