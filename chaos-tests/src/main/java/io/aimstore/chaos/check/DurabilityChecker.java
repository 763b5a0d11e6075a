package io.aimstore.chaos.check;

import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.OpKind;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.Outcome;
import io.aimstore.chaos.history.StoredValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks that acknowledged writes survived: typically the history of a run in which members were
 * killed, against a read of every key after all of them restarted.
 *
 * <p>An acknowledged write (an OK write, delete, successful compare-and-set, or write inside an OK
 * transaction) of key k is kept if the final read of k shows it, or shows the value of another
 * acknowledged or indeterminate (INFO) write of k that may have come after it: a later revision
 * when both revisions are known, otherwise one that did not complete before it was invoked. Values
 * are matched by equality (and by revision when the final read and the write both have one), so
 * workloads should write unique values.
 */
public final class DurabilityChecker {

  private DurabilityChecker() {}

  /** A value an operation may have left in one key. */
  private record KeyWrite(Operation op, Object value) {}

  /**
   * Returns every acknowledged write of {@code history} that is lost, ordered by key and then as in
   * the history.
   *
   * @param finalRead the value of every key, read after the run; a key absent from the map was
   *     missing
   */
  public static List<LostWrite> check(History history, Map<String, StoredValue> finalRead) {
    Map<String, List<KeyWrite>> acknowledged = new TreeMap<>();
    Map<String, List<KeyWrite>> possible = new TreeMap<>();
    for (Operation op : history.operations()) {
      for (int i = 0; i < op.input().size(); i++) {
        Access access = op.input().get(i);
        if (!access.mutates() || op.outcome() == Outcome.FAIL) {
          continue;
        }
        boolean applied =
            op.outcome() == Outcome.OK
                && (access.kind() != OpKind.CAS || op.output().get(i).equals(Boolean.TRUE));
        if (op.outcome() == Outcome.OK && !applied) {
          continue;
        }
        KeyWrite write = new KeyWrite(op, access.value());
        possible.computeIfAbsent(access.key(), k -> new ArrayList<>()).add(write);
        if (applied) {
          List<KeyWrite> writes =
              acknowledged.computeIfAbsent(access.key(), k -> new ArrayList<>());
          // Of several writes of one key in one transaction, the last one is what it left.
          if (!writes.isEmpty() && writes.get(writes.size() - 1).op() == op) {
            writes.remove(writes.size() - 1);
          }
          writes.add(write);
        }
      }
    }
    List<LostWrite> lost = new ArrayList<>();
    acknowledged.forEach(
        (key, writes) -> {
          StoredValue found = finalRead.get(key);
          List<KeyWrite> sources =
              possible.get(key).stream().filter(w -> couldHaveLeft(w, found)).toList();
          for (KeyWrite write : writes) {
            if (sources.stream().noneMatch(s -> s == write || couldFollow(s, write))) {
              lost.add(new LostWrite(key, write.op(), write.value(), found));
            }
          }
        });
    return lost;
  }

  private static boolean couldHaveLeft(KeyWrite write, StoredValue found) {
    if (found == null) {
      return write.value() == null;
    }
    long revision = write.op().revision();
    return Objects.equals(write.value(), found.value())
        && (revision == 0 || found.modRevision() == 0 || revision == found.modRevision());
  }

  private static boolean couldFollow(KeyWrite later, KeyWrite earlier) {
    Operation l = later.op();
    Operation e = earlier.op();
    if (l == e) {
      return false;
    }
    if (l.revision() > 0 && e.revision() > 0) {
      return l.revision() > e.revision();
    }
    return l.latestEffectNanos() >= e.invokeNanos();
  }
}
