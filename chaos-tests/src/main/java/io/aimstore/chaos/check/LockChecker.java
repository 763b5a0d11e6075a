package io.aimstore.chaos.check;

import io.aimstore.chaos.history.FencedWrite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks fenced locks through the counter each one guards: clients holding the lock read the
 * counter and write it back incremented, in a write fenced by their token, so if mutual exclusion
 * and fencing hold, no increment is lost.
 *
 * <p>Per lock, with the accepted writes in the order the store applied them (by revision): tokens
 * never decrease, a token is used by one client only, every write read the value the previous one
 * wrote (the first one read 0), and the final counter equals the number of accepted writes.
 */
public final class LockChecker {

  private LockChecker() {}

  /**
   * Returns every violation, ordered by lock name and then by revision.
   *
   * @param accepted the fenced writes the store accepted
   * @param finalCounters the value of each lock's counter read after the run; a lock absent from
   *     the map had its counter missing
   */
  public static List<LockViolation> check(
      List<FencedWrite> accepted, Map<String, Long> finalCounters) {
    Map<String, List<FencedWrite>> byLock = new TreeMap<>();
    for (FencedWrite write : accepted) {
      byLock.computeIfAbsent(write.lock(), l -> new ArrayList<>()).add(write);
    }
    List<LockViolation> violations = new ArrayList<>();
    byLock.forEach(
        (lock, writes) -> {
          writes.sort(Comparator.comparingLong(FencedWrite::revision));
          checkLock(lock, writes, finalCounters.get(lock), violations);
        });
    return violations;
  }

  private static void checkLock(
      String lock, List<FencedWrite> writes, Long finalCounter, List<LockViolation> violations) {
    Map<Long, FencedWrite> holderOfToken = new HashMap<>();
    FencedWrite previous = null;
    for (FencedWrite write : writes) {
      FencedWrite holder = holderOfToken.putIfAbsent(write.token(), write);
      if (holder != null && holder.client() != write.client()) {
        violations.add(
            new LockViolation(
                LockViolation.Kind.SHARED_TOKEN, lock, write.revision(), holder + " and " + write));
      }
      if (previous != null && write.token() < previous.token()) {
        violations.add(
            new LockViolation(
                LockViolation.Kind.TOKEN_REGRESSION,
                lock,
                write.revision(),
                write + " after " + previous));
      }
      long expectedRead = previous == null ? 0 : previous.writtenValue();
      if (write.readValue() != expectedRead) {
        violations.add(
            new LockViolation(
                LockViolation.Kind.LOST_UPDATE,
                lock,
                write.revision(),
                write + " but the counter held " + expectedRead));
      }
      previous = write;
    }
    if (finalCounter == null || finalCounter != writes.size()) {
      violations.add(
          new LockViolation(
              LockViolation.Kind.FINAL_COUNTER,
              lock,
              0,
              "counter is "
                  + (finalCounter == null ? "missing" : finalCounter)
                  + " after "
                  + writes.size()
                  + " accepted increments"));
    }
  }
}
