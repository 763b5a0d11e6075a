package io.aimstore.chaos.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The search configurations already explored: which OK operations are linearized (a {@link
 * LinearizedSet} key), the model state (with the values no operation left can tell apart made
 * equal, see {@link Observations#canonical}), and which INFO operations are linearized.
 *
 * <p>A configuration is skipped if an explored one has the same OK operations and state and a
 * subset of its INFO operations: whatever can follow the new one can follow the explored one too,
 * since INFO operations may also be linearized later or never. Without this, every subset of
 * pending INFO operations would be a configuration of its own.
 */
final class Memo {

  private static final long[] NONE = new long[0];

  /** The OK operations linearized and the state; the key of the INFO sets explored with them. */
  private record Key(long[] linearized, Object[] state) {

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Arrays.equals(linearized, k.linearized)
          && Arrays.equals(state, k.state);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(linearized) + Arrays.hashCode(state);
    }
  }

  private final Map<Key, List<long[]>> infoSets = new HashMap<>();

  /**
   * Records a configuration unless it, or one that makes it redundant, was recorded before.
   *
   * @param linearized the OK operations linearized, as {@link LinearizedSet#key()} gives
   * @param state the canonical model state, never modified afterwards
   * @param info a bitset of the INFO operations linearized; copied
   * @return whether the configuration is new and worth exploring
   */
  boolean add(long[] linearized, Object[] state, long[] info) {
    Key key = new Key(linearized, state);
    List<long[]> sets = infoSets.get(key);
    long[] copy = trimmed(info);
    if (sets == null) {
      infoSets.put(key, List.of(copy));
      return true;
    }
    for (long[] explored : sets) {
      if (isSubset(explored, copy)) {
        return false;
      }
    }
    if (sets.size() == 1) {
      sets = new ArrayList<>(sets);
      infoSets.put(key, sets);
    }
    sets.add(copy);
    return true;
  }

  private static long[] trimmed(long[] bits) {
    int length = bits.length;
    while (length > 0 && bits[length - 1] == 0) {
      length--;
    }
    return length == 0 ? NONE : Arrays.copyOf(bits, length);
  }

  private static boolean isSubset(long[] small, long[] large) {
    if (small.length > large.length) {
      return false;
    }
    for (int i = 0; i < small.length; i++) {
      if ((small[i] & ~large[i]) != 0) {
        return false;
      }
    }
    return true;
  }
}
