package io.aimstore.chaos.workload;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The register keys clients work on: a fixed number of slots, each holding one key until that key
 * has had its share of operations (a random number between a minimum and a maximum), when the slot
 * moves on to a fresh key. Short per-key histories keep the linearizability search cheap; keys are
 * never reused, so each key's history starts from "missing".
 */
public final class Keyspace {
  private final String prefix;
  private final int minOps;
  private final int maxOps;
  private final Random budgets;
  private final AtomicReferenceArray<Slot> slots;
  private final AtomicInteger nextKey = new AtomicInteger();

  private record Slot(String key, int budget, AtomicInteger ops) {}

  /**
   * @param prefix every key starts with it, e.g. {@code /chaos/reg/}
   * @param slots how many keys are in use at a time
   * @param minOps the fewest operations a key gets before its slot moves on
   * @param maxOps the most
   */
  public Keyspace(String prefix, int slots, int minOps, int maxOps, long seed) {
    this.prefix = prefix;
    this.minOps = minOps;
    this.maxOps = maxOps;
    this.budgets = new Random(seed);
    this.slots = new AtomicReferenceArray<>(slots);
    for (int i = 0; i < slots; i++) {
      this.slots.set(i, fresh());
    }
  }

  public String prefix() {
    return prefix;
  }

  /** A key of a random slot for one more operation, moving the slot on when its key is spent. */
  public String next(Random random) {
    int i = random.nextInt(slots.length());
    while (true) {
      Slot s = slots.get(i);
      if (s.ops().incrementAndGet() <= s.budget()) {
        return s.key();
      }
      slots.compareAndSet(i, s, fresh());
    }
  }

  private synchronized Slot fresh() {
    String key = String.format("%sk%05d", prefix, nextKey.getAndIncrement());
    return new Slot(key, minOps + budgets.nextInt(maxOps - minOps + 1), new AtomicInteger());
  }
}
