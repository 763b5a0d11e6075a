package io.aimstore.chaos.check;

import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.OpKind;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which values the operations of one part can tell apart, per key: those an OK read returns or a
 * compare-and-set that may have happened expects, each until the last such operation completes.
 *
 * <p>Once the search has linearized every operation that completes before time t (as it has when
 * the first return left is at t), no operation left can tell a value that is not {@link
 * #distinguishable} at t from another such value: reads never return them and compare-and-sets
 * never match them. Such values are interchangeable, and so are the INFO writes that write them.
 */
final class Observations {

  /** Stands in, in memo keys, for every value no operation left can distinguish. */
  private static final Object INDISTINCT = new Object();

  private final List<Map<Object, Long>> lastObserved = new ArrayList<>();

  Observations(List<Operation> part, KeyValueModel model, int keys) {
    for (int i = 0; i < keys; i++) {
      lastObserved.add(new HashMap<>());
    }
    for (Operation op : part) {
      int[] slots = model.slotsOf(op);
      for (int i = 0; i < slots.length; i++) {
        Access access = op.input().get(i);
        Map<Object, Long> observed = lastObserved.get(slots[i]);
        if (access.kind() == OpKind.READ && op.outcome() == Outcome.OK) {
          observed.merge(op.output().get(i), op.latestEffectNanos(), Math::max);
        } else if (access.kind() == OpKind.CAS && op.outcome() != Outcome.FAIL) {
          observed.merge(access.expected(), op.latestEffectNanos(), Math::max);
        }
      }
    }
  }

  /**
   * When the last operation that observes {@code value} in {@code slot} completes: {@link
   * Long#MAX_VALUE} if one is INFO, {@link Long#MIN_VALUE} if none does.
   */
  long lastObserved(int slot, Object value) {
    return lastObserved.get(slot).getOrDefault(value, Long.MIN_VALUE);
  }

  /** Whether some operation completing at or after {@code time} observes {@code value}. */
  boolean distinguishable(int slot, Object value, long time) {
    return lastObserved(slot, value) >= time;
  }

  /** {@code state} with every value not {@link #distinguishable} at {@code time} replaced. */
  Object[] canonical(Object[] state, long time) {
    Object[] canonical = state;
    for (int slot = 0; slot < state.length; slot++) {
      if (!distinguishable(slot, state[slot], time)) {
        canonical = canonical == state ? state.clone() : canonical;
        canonical[slot] = INDISTINCT;
      }
    }
    return canonical;
  }
}
