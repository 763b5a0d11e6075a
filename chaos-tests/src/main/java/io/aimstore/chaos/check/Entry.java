package io.aimstore.chaos.check;

import io.aimstore.chaos.history.Operation;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An event of one operation in a doubly linked list the linearization search walks (Lowe, "Testing
 * for linearizability", 2017). In the main list every operation has a call and a return entry,
 * {@link #match}ed to each other; linearizing an operation {@link #lift}s both out of the list and
 * backtracking {@link #unlift}s them back into place. Indeterminate operations, which never return,
 * have only a call entry and no list.
 */
final class Entry {

  final Operation op;
  final int id;
  final int[] slots;
  final boolean isCall;
  final long time;
  Entry match;
  Entry prev;
  Entry next;

  private Entry(Operation op, int id, int[] slots, boolean isCall, long time) {
    this.op = op;
    this.id = id;
    this.slots = slots;
    this.isCall = isCall;
    this.time = time;
  }

  /**
   * Links a call and a return entry per operation ({@code ops.get(i)} gets id {@code i}) in time
   * order, calls before returns at equal times (so touching operations count as concurrent), and
   * returns the sentinel head in front of them.
   */
  static Entry callsAndReturns(List<Operation> ops, KeyValueModel model) {
    Entry[] entries = new Entry[2 * ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      int[] slots = model.slotsOf(op);
      Entry call = new Entry(op, i, slots, true, op.invokeNanos());
      Entry ret = new Entry(op, i, slots, false, op.completeNanos());
      call.match = ret;
      ret.match = call;
      entries[2 * i] = call;
      entries[2 * i + 1] = ret;
    }
    Arrays.sort(
        entries,
        Comparator.comparingLong((Entry e) -> e.time)
            .thenComparing(e -> !e.isCall)
            .thenComparingInt(e -> e.id));
    return linked(entries);
  }

  /** One call entry per operation, never linked: {@code ops.get(i)} gets id {@code i}. */
  static Entry[] callsOnly(List<Operation> ops, KeyValueModel model) {
    Entry[] calls = new Entry[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      calls[i] = new Entry(op, i, model.slotsOf(op), true, op.invokeNanos());
    }
    return calls;
  }

  private static Entry linked(Entry[] entries) {
    Entry head = new Entry(null, -1, null, false, Long.MIN_VALUE);
    Entry last = head;
    for (Entry e : entries) {
      last.next = e;
      e.prev = last;
      last = e;
    }
    return head;
  }

  /** Unlinks this call entry and its return. */
  void lift() {
    prev.next = next;
    next.prev = prev;
    match.prev.next = match.next;
    if (match.next != null) {
      match.next.prev = match.prev;
    }
  }

  /** Relinks this call entry and its return where {@link #lift} took them from. */
  void unlift() {
    match.prev.next = match;
    if (match.next != null) {
      match.next.prev = match;
    }
    prev.next = this;
    next.prev = this;
  }
}
