package io.aimstore.chaos.check;

import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.OpKind;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Generates histories that are linearizable by construction: each client runs operations one after
 * another, the next operation going to the client free first, with random overlapping timings;
 * every operation takes effect at a random instant between its invocation and completion on a real
 * sequential map, and its output is what that map answered. Indeterminate operations take effect at
 * a random instant after their invocation, or never. Written values are unique.
 */
final class RandomHistories {

  private final Random random;
  private final int keys;
  private final int clients;
  private final double indeterminate;
  private final double txns;
  private long nextValue;

  /**
   * @param indeterminate the share of operations that end INFO (as many again end FAIL)
   * @param txns the share of two-key transactions
   */
  RandomHistories(long seed, int keys, int clients, double indeterminate, double txns) {
    this.random = new Random(seed);
    this.keys = keys;
    this.clients = clients;
    this.indeterminate = indeterminate;
    this.txns = txns;
  }

  /** A planned operation: its accesses, timing and the instant it takes effect (or never). */
  private record Planned(
      int process,
      OpKind kind,
      List<Access> input,
      long invoke,
      long complete,
      Outcome outcome,
      long effectAt) {}

  History generate(int operations) {
    List<Planned> plan = new ArrayList<>();
    long[] clock = new long[clients];
    Map<String, Object> lastWritten = new HashMap<>();
    for (int i = 0; i < operations; i++) {
      int p = nextFreeClient(clock);
      long invoke = clock[p] + random.nextInt(50);
      long complete = invoke + 1 + random.nextInt(100);
      clock[p] = complete;
      double roll = random.nextDouble();
      Outcome outcome =
          roll < indeterminate
              ? Outcome.INFO
              : roll < 2 * indeterminate ? Outcome.FAIL : Outcome.OK;
      long effectAt =
          switch (outcome) {
            case OK -> invoke + random.nextLong(complete - invoke + 1);
            case INFO -> random.nextBoolean() ? invoke + random.nextInt(1000) : -1;
            case FAIL -> -1;
          };
      List<Access> input = randomAccesses(lastWritten);
      OpKind kind = input.size() > 1 ? OpKind.TXN : input.get(0).kind();
      plan.add(new Planned(p, kind, input, invoke, complete, outcome, effectAt));
    }
    return new History(run(plan));
  }

  /** The client whose last operation completed first, so that all clients keep overlapping. */
  private int nextFreeClient(long[] clock) {
    int first = random.nextInt(clients);
    for (int p = 0; p < clients; p++) {
      if (clock[p] < clock[first]) {
        first = p;
      }
    }
    return first;
  }

  private List<Access> randomAccesses(Map<String, Object> lastWritten) {
    if (keys > 1 && random.nextDouble() < txns) {
      String a = key();
      String b = key();
      while (b.equals(a)) {
        b = key();
      }
      return List.of(randomAccess(a, lastWritten), randomAccess(b, lastWritten));
    }
    return List.of(randomAccess(key(), lastWritten));
  }

  private Access randomAccess(String key, Map<String, Object> lastWritten) {
    int roll = random.nextInt(100);
    if (roll < 45) {
      return Access.read(key);
    }
    if (roll < 50) {
      return Access.delete(key);
    }
    Object value = ++nextValue % 2 == 0 ? nextValue : "v" + nextValue;
    Object previous = lastWritten.put(key, value);
    return roll < 80 ? Access.write(key, value) : Access.cas(key, previous, value);
  }

  private String key() {
    return "k" + random.nextInt(keys);
  }

  /** Applies the operations that take effect in effect order and records their outputs. */
  private static List<Operation> run(List<Planned> plan) {
    Map<Planned, List<Object>> outputs = new HashMap<>();
    Map<String, Object> store = new HashMap<>();
    plan.stream()
        .filter(p -> p.effectAt() >= 0)
        .sorted(Comparator.comparingLong(Planned::effectAt))
        .forEach(p -> outputs.put(p, apply(store, p.input())));
    List<Operation> ops = new ArrayList<>();
    for (Planned p : plan) {
      List<Object> output = p.outcome() == Outcome.OK ? outputs.get(p) : List.of();
      ops.add(
          new Operation(
              p.process(), p.kind(), p.input(), output, p.invoke(), p.complete(), p.outcome(), 0));
    }
    return ops;
  }

  /**
   * {@code history} with the output of one random OK read replaced by {@code value}, or if {@code
   * value} is null by another value written to (or left missing in) the same key; {@code history}
   * itself if there is no such read or value.
   */
  static History withReadChanged(History history, Random random, Object value) {
    List<Operation> ops = new ArrayList<>(history.operations());
    List<Integer> reads = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).kind() == OpKind.READ && ops.get(i).outcome() == Outcome.OK) {
        reads.add(i);
      }
    }
    if (reads.isEmpty()) {
      return history;
    }
    int index = reads.get(random.nextInt(reads.size()));
    Operation read = ops.get(index);
    Object replacement = value;
    if (replacement == null) {
      String key = read.input().get(0).key();
      List<Object> others = new ArrayList<>();
      others.add(null);
      for (Operation op : ops) {
        op.input().stream()
            .filter(a -> a.key().equals(key) && a.value() != null)
            .forEach(a -> others.add(a.value()));
      }
      others.removeIf(v -> Objects.equals(v, read.output().get(0)));
      if (others.isEmpty()) {
        return history;
      }
      replacement = others.get(random.nextInt(others.size()));
    }
    ops.set(
        index,
        new Operation(
            read.process(),
            read.kind(),
            read.input(),
            Arrays.asList(replacement),
            read.invokeNanos(),
            read.completeNanos(),
            read.outcome(),
            read.revision()));
    return new History(ops);
  }

  /** Applies {@code input} to {@code store}, a real sequential map, and returns the outputs. */
  static List<Object> apply(Map<String, Object> store, List<Access> input) {
    List<Object> output = new ArrayList<>();
    for (Access access : input) {
      Object current = store.get(access.key());
      switch (access.kind()) {
        case READ -> output.add(current);
        case WRITE -> {
          store.put(access.key(), access.value());
          output.add(null);
        }
        case DELETE -> {
          store.remove(access.key());
          output.add(null);
        }
        case CAS -> {
          boolean swapped = Objects.equals(current, access.expected());
          if (swapped) {
            store.put(access.key(), access.value());
          }
          output.add(swapped);
        }
        default -> throw new AssertionError(access);
      }
    }
    return output;
  }
}
