package io.aimstore.chaos.check;

import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.Outcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sequential specification the linearizability checker holds operations to: a small map from a
 * fixed set of keys to values, where each key is a register with read, write, delete and
 * compare-and-set, and an operation applies all its accesses atomically. With one key this is the
 * plain register model.
 *
 * <p>A state is an {@code Object[]} holding each key's value at its slot ({@code null}: missing).
 * States are never modified: a step that changes something returns a new array.
 */
final class KeyValueModel {

  private final List<String> keys;
  private final Map<String, Integer> slots = new HashMap<>();

  KeyValueModel(List<String> keys) {
    this.keys = List.copyOf(keys);
    for (int i = 0; i < keys.size(); i++) {
      slots.put(keys.get(i), i);
    }
  }

  /** Every key missing. */
  Object[] initialState() {
    return new Object[keys.size()];
  }

  /** The slot of each access of {@code op}, to pass to {@link #step}. */
  int[] slotsOf(Operation op) {
    return op.input().stream().mapToInt(a -> slots.get(a.key())).toArray();
  }

  /**
   * Applies {@code op} to {@code state}. For an {@link Outcome#OK} operation the recorded outputs
   * must be what the model answers; an {@link Outcome#INFO} one has no outputs to match.
   *
   * @param slots {@link #slotsOf}{@code (op)}
   * @return the state after {@code op}, or {@code null} if {@code op} cannot have returned its
   *     outputs in {@code state}
   */
  Object[] step(Object[] state, Operation op, int[] slots) {
    boolean checkOutput = op.outcome() == Outcome.OK;
    Object[] next = state;
    for (int i = 0; i < slots.length; i++) {
      Access access = op.input().get(i);
      Object current = next[slots[i]];
      Object written;
      switch (access.kind()) {
        case READ -> {
          if (checkOutput && !Objects.equals(op.output().get(i), current)) {
            return null;
          }
          continue;
        }
        case WRITE -> written = access.value();
        case DELETE -> written = null;
        case CAS -> {
          boolean swapped = Objects.equals(current, access.expected());
          if (checkOutput && !op.output().get(i).equals(swapped)) {
            return null;
          }
          if (!swapped) {
            continue;
          }
          written = access.value();
        }
        default -> throw new AssertionError(access);
      }
      if (!Objects.equals(current, written)) {
        next = next == state ? state.clone() : next;
        next[slots[i]] = written;
      }
    }
    return next;
  }

  /**
   * What an OK operation that {@link #step} rejects needs of the value one of its keys held before
   * it, to get past the first access that fails: that {@code slot} held {@code value} (if {@code
   * equal}) or anything but {@code value}.
   */
  record Need(int slot, Object value, boolean equal) {}

  /**
   * Why the OK operation {@code op} fails in {@code state}.
   *
   * @return the need of its first failing access; {@code null} if it does not fail, or if that
   *     access sees a value {@code op} itself wrote, which no earlier operation can change
   */
  Need need(Object[] state, Operation op, int[] slots) {
    Object[] values = state.clone();
    boolean[] written = new boolean[values.length];
    for (int i = 0; i < slots.length; i++) {
      Access access = op.input().get(i);
      int slot = slots[i];
      Object current = values[slot];
      Object output = op.output().get(i);
      switch (access.kind()) {
        case READ -> {
          if (!Objects.equals(output, current)) {
            return written[slot] ? null : new Need(slot, output, true);
          }
        }
        case WRITE, DELETE -> {
          values[slot] = access.value();
          written[slot] = true;
        }
        case CAS -> {
          boolean swapped = Objects.equals(current, access.expected());
          if (!output.equals(swapped)) {
            return written[slot] ? null : new Need(slot, access.expected(), !swapped);
          }
          if (swapped) {
            values[slot] = access.value();
            written[slot] = true;
          }
        }
        default -> throw new AssertionError(access);
      }
    }
    return null;
  }

  /** For example {@code x="a", y=nil}. */
  String describe(Object[] state) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      s.append(i == 0 ? "" : ", ").append(keys.get(i)).append('=');
      s.append(Access.show(state[i]));
    }
    return s.toString();
  }
}
