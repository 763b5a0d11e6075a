package io.aimstore.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.OpKind;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Small random histories, many of them not linearizable (outputs are random), judged by the checker
 * and by an exhaustive search over every order of the operations. This holds the checker's
 * shortcuts for indeterminate operations (see {@code InfoOperations}) to the plain definition.
 */
class BruteForceAgreementTest {

  private static final int HISTORIES = 5000;
  private static final Object[] VALUES = {null, 1L, 2L, "a"};

  @Test
  void checkerAgreesWithExhaustiveSearch() {
    Random random = new Random(7);
    int linearizable = 0;
    for (int i = 0; i < HISTORIES; i++) {
      History history = randomHistory(random);

      boolean expected = bruteForce(history.operations());

      LinearizabilityResult result = LinearizabilityChecker.check(history, Duration.ofSeconds(10));
      assertThat(result.verdict())
          .as("%s", history.operations())
          .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
      linearizable += expected ? 1 : 0;
    }
    assertThat(linearizable)
        .as("both verdicts are exercised")
        .isBetween(HISTORIES / 10, HISTORIES * 9 / 10);
  }

  /**
   * Up to 10 operations over 1 to 3 keys, some of them transactions, with random outputs; either
   * few or many of them indeterminate.
   */
  @Test
  void checkerAgreesWithExhaustiveSearchOnRealHistoriesWithOneReadChanged() {
    Random random = new Random(11);
    for (int i = 0; i < HISTORIES; i++) {
      History real =
          new RandomHistories(i, 1 + random.nextInt(2), 2 + random.nextInt(4), 0.3, 0.2)
              .generate(4 + random.nextInt(11));
      History history =
          random.nextBoolean() ? real : RandomHistories.withReadChanged(real, random, null);

      boolean expected = bruteForce(history.operations());

      LinearizabilityResult result = LinearizabilityChecker.check(history, Duration.ofSeconds(10));
      assertThat(result.verdict())
          .as("%s", history.operations())
          .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
    }
  }

  private static History randomHistory(Random random) {
    int size = 1 + random.nextInt(10);
    int keys = 1 + random.nextInt(3);
    double indeterminate = random.nextBoolean() ? 0.15 : 0.4;
    List<Operation> ops = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      List<Access> input = new ArrayList<>();
      int accesses = random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1;
      for (int a = 0; a < accesses; a++) {
        String key = "k" + random.nextInt(keys);
        Object value = VALUES[1 + random.nextInt(VALUES.length - 1)];
        input.add(
            switch (random.nextInt(6)) {
              case 0, 1 -> Access.read(key);
              case 2 -> Access.write(key, value);
              case 3 -> Access.delete(key);
              default -> Access.cas(key, VALUES[random.nextInt(VALUES.length)], value);
            });
      }
      double roll = random.nextDouble();
      Outcome outcome =
          roll < indeterminate
              ? Outcome.INFO
              : roll < indeterminate + 0.05 ? Outcome.FAIL : Outcome.OK;
      List<Object> output = new ArrayList<>();
      if (outcome == Outcome.OK) {
        for (Access access : input) {
          output.add(
              switch (access.kind()) {
                case READ -> VALUES[random.nextInt(VALUES.length)];
                case CAS -> random.nextBoolean();
                default -> null;
              });
        }
      }
      long invoke = random.nextInt(100);
      OpKind kind = input.size() > 1 ? OpKind.TXN : input.get(0).kind();
      ops.add(
          new Operation(i, kind, input, output, invoke, invoke + random.nextInt(40), outcome, 0));
    }
    return new History(ops);
  }

  /** Whether some order of the operations explains the history, trying every order. */
  private static boolean bruteForce(List<Operation> ops) {
    List<Operation> candidates = ops.stream().filter(op -> op.outcome() != Outcome.FAIL).toList();
    return search(candidates, new boolean[candidates.size()], new HashMap<>(), new HashSet<>());
  }

  /** {@code failed} holds the (done operations, store) pairs already found to lead nowhere. */
  private static boolean search(
      List<Operation> ops, boolean[] done, Map<String, Object> store, Set<List<Object>> failed) {
    boolean allOkDone = true;
    for (int i = 0; i < ops.size(); i++) {
      allOkDone &= done[i] || ops.get(i).outcome() != Outcome.OK;
    }
    if (allOkDone) {
      return true;
    }
    if (!failed.add(List.of(Arrays.toString(done), new TreeMap<>(store)))) {
      return false;
    }
    for (int i = 0; i < ops.size(); i++) {
      if (done[i] || !mayGoNext(ops, done, i)) {
        continue;
      }
      Operation op = ops.get(i);
      Map<String, Object> after = new HashMap<>(store);
      List<Object> output = RandomHistories.apply(after, op.input());
      if (op.outcome() == Outcome.OK && !output.equals(op.output())) {
        continue;
      }
      done[i] = true;
      boolean found = search(ops, done, after, failed);
      done[i] = false;
      if (found) {
        return true;
      }
    }
    return false;
  }

  /** No operation left to linearize completed before {@code ops.get(i)} was invoked. */
  private static boolean mayGoNext(List<Operation> ops, boolean[] done, int i) {
    for (int j = 0; j < ops.size(); j++) {
      if (!done[j] && ops.get(j).latestEffectNanos() < ops.get(i).invokeNanos()) {
        return false;
      }
    }
    return true;
  }
}
