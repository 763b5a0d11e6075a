package io.aimstore.chaos.check;

import io.aimstore.chaos.check.KeyValueModel.Need;
import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.OpKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The indeterminate (INFO) operations of one part, indexed to find the few worth linearizing when
 * the search is stuck.
 *
 * <p>At a dead end every OK operation that could go next has been tried. A continuation that
 * linearizes INFO operations first can only succeed if they let some blocked OK operation through:
 * otherwise that operation could have gone first, or the INFO operations were overwritten and did
 * nothing. So only INFO operations that give a blocked operation's key the value it needs are
 * tried: one that writes it, or a compare-and-set that swaps it in (after the operations that give
 * the key the value it expects); or, when the key must merely change, one that changes it.
 *
 * <p>INFO writes whose values no operation left can tell apart (see {@link Observations}) are
 * interchangeable: of those, only the earliest invoked one is tried. Multi-key INFO transactions
 * are always tried, and so are the INFO operations that can flip the outcome of their
 * compare-and-sets.
 */
final class InfoOperations {

  /** The single-key INFO operations on one key. */
  private static final class OnKey {
    /** Writes, deletes and compare-and-sets, by the value they may leave. */
    final Map<Object, List<Entry>> leaving = new HashMap<>();

    /** Compare-and-sets, by the value they expect. */
    final Map<Object, List<Entry>> expecting = new HashMap<>();

    /** Writes and deletes, in invocation order. */
    Entry[] writes;

    /** For each of {@link #writes}, when its value stops being distinguishable. */
    long[] lastObserved;

    /** The maximum of {@link #lastObserved} over {@code writes[0..i]}. */
    long[] lastObservedUpTo;
  }

  private final OnKey[] onKey;
  private final List<Entry> transactions = new ArrayList<>();

  /**
   * @param calls the INFO operations' call entries, {@code calls[i].id == i}
   * @param keys the number of keys (slots) of the part
   */
  InfoOperations(Entry[] calls, Observations observations, int keys) {
    Entry[] byInvocation = calls.clone();
    Arrays.sort(
        byInvocation, Comparator.comparingLong((Entry e) -> e.time).thenComparingInt(e -> e.id));
    List<List<Entry>> writes = new ArrayList<>();
    onKey = new OnKey[keys];
    for (int i = 0; i < keys; i++) {
      onKey[i] = new OnKey();
      writes.add(new ArrayList<>());
    }
    for (Entry call : byInvocation) {
      if (call.slots.length > 1) {
        transactions.add(call);
        continue;
      }
      OnKey key = onKey[call.slots[0]];
      Access access = call.op.input().get(0);
      key.leaving.computeIfAbsent(access.value(), v -> new ArrayList<>()).add(call);
      if (access.kind() == OpKind.CAS) {
        key.expecting.computeIfAbsent(access.expected(), v -> new ArrayList<>()).add(call);
      } else {
        writes.get(call.slots[0]).add(call);
      }
    }
    for (int slot = 0; slot < keys; slot++) {
      OnKey key = onKey[slot];
      key.writes = writes.get(slot).toArray(new Entry[0]);
      key.lastObserved = new long[key.writes.length];
      key.lastObservedUpTo = new long[key.writes.length];
      long upTo = Long.MIN_VALUE;
      for (int i = 0; i < key.writes.length; i++) {
        key.lastObserved[i] =
            observations.lastObserved(slot, key.writes[i].op.input().get(0).value());
        upTo = Math.max(upTo, key.lastObserved[i]);
        key.lastObservedUpTo[i] = upTo;
      }
    }
  }

  /**
   * The INFO operations worth trying at a dead end, by ascending id.
   *
   * @param state the model state
   * @param needs what the blocked OK operations need (see {@link KeyValueModel#need})
   * @param time the time of the first return: only operations invoked by then may go
   * @param linearized bitset of the INFO operations already linearized
   */
  List<Entry> worthTrying(Object[] state, List<Need> needs, long time, long[] linearized) {
    Set<Entry> chosen = new HashSet<>();
    Set<Need> seen = new HashSet<>();
    for (Need need : needs) {
      collect(need, state, time, linearized, chosen, seen);
    }
    for (Entry txn : transactions) {
      if (available(txn, time, linearized)) {
        chosen.add(txn);
        for (Need precondition : casPreconditions(txn, state)) {
          collect(precondition, state, time, linearized, chosen, seen);
        }
      }
    }
    List<Entry> sorted = new ArrayList<>(chosen);
    sorted.sort(Comparator.comparingInt(e -> e.id));
    return sorted;
  }

  private void collect(
      Need need, Object[] state, long time, long[] linearized, Set<Entry> chosen, Set<Need> seen) {
    if (!seen.add(need)) {
      return;
    }
    int slot = need.slot();
    OnKey key = onKey[slot];
    if (need.equal()) {
      for (Entry call : key.leaving.getOrDefault(need.value(), List.of())) {
        Access access = call.op.input().get(0);
        if (!available(call, time, linearized)) {
          continue;
        }
        if (access.kind() != OpKind.CAS || Objects.equals(state[slot], access.expected())) {
          chosen.add(call);
        } else {
          collect(new Need(slot, access.expected(), true), state, time, linearized, chosen, seen);
        }
      }
      return;
    }
    // The key must change from its current value: any write of another value does that. Writes of
    // values that nothing can tell apart any more are interchangeable; one of them is enough.
    for (Entry call : key.expecting.getOrDefault(state[slot], List.of())) {
      if (available(call, time, linearized)
          && !Objects.equals(call.op.input().get(0).value(), need.value())) {
        chosen.add(call);
      }
    }
    int last = lastInvokedBy(key.writes, time);
    for (int i = last; i >= 0 && key.lastObservedUpTo[i] >= time; i--) {
      if (key.lastObserved[i] >= time) {
        addIfChanges(key.writes[i], need, time, linearized, chosen);
      }
    }
    for (int i = 0; i <= last; i++) {
      if (key.lastObserved[i] < time
          && available(key.writes[i], time, linearized)
          && addIfChanges(key.writes[i], need, time, linearized, chosen)) {
        return;
      }
    }
  }

  private static boolean addIfChanges(
      Entry write, Need need, long time, long[] linearized, Set<Entry> chosen) {
    if (available(write, time, linearized)
        && !Objects.equals(write.op.input().get(0).value(), need.value())) {
      chosen.add(write);
      return true;
    }
    return false;
  }

  /** The index of the last of {@code writes} (in invocation order) invoked by {@code time}. */
  private static int lastInvokedBy(Entry[] writes, long time) {
    int low = 0;
    int high = writes.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (writes[mid].time <= time) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low - 1;
  }

  /**
   * The needs whose fulfilment changes what {@code txn} does: how it behaves depends on whether the
   * value a key held before it equals the expected value of one of its compare-and-sets on that key
   * (those before any unconditional write of the key in {@code txn}), and which one.
   */
  private static List<Need> casPreconditions(Entry txn, Object[] state) {
    List<Need> needs = new ArrayList<>();
    Set<Integer> overwritten = new HashSet<>();
    for (int i = 0; i < txn.slots.length; i++) {
      Access access = txn.op.input().get(i);
      int slot = txn.slots[i];
      if (access.kind() == OpKind.CAS && !overwritten.contains(slot)) {
        boolean matches = Objects.equals(state[slot], access.expected());
        needs.add(new Need(slot, access.expected(), !matches));
      } else if (access.kind() == OpKind.WRITE || access.kind() == OpKind.DELETE) {
        overwritten.add(slot);
      }
    }
    return needs;
  }

  private static boolean available(Entry call, long time, long[] linearized) {
    return call.time <= time && (linearized[call.id >>> 6] & (1L << call.id)) == 0;
  }
}
