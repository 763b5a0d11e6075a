package io.aimstore.chaos.check;

import io.aimstore.chaos.check.KeyValueModel.Need;
import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Wing and Gong's linearizability search with Lowe's just-in-time linearization and memoization,
 * over one independent part of a history (as in Porcupine and Knossos).
 *
 * <p>The search walks a time-ordered list of call and return {@link Entry entries} of the OK
 * operations. At a call it tries to linearize that operation now: if the model accepts it and the
 * configuration is new to the {@link Memo}, the operation is lifted out of the list and the walk
 * restarts at the head. On reaching the first return, every OK operation called before it has been
 * tried; the INFO operations that may unblock one of them are tried next (see {@link
 * InfoOperations}), and if none helps either, the returning operation cannot be linearized in time
 * and the search backtracks to its last choice. The part is linearizable once every OK operation is
 * linearized: INFO operations still pending are taken as never having happened.
 *
 * <p>FAIL operations, and INFO operations that only read, are left out: they changed nothing and
 * constrain nothing.
 */
final class LinearizationSearch {

  private static final int TAIL = 5;
  private static final int PENDING = 8;
  private static final int STEPS_BETWEEN_CLOCK_READS = 1024;

  private final List<String> keys;
  private final KeyValueModel model;
  private final Observations observations;
  private final List<Operation> determinate = new ArrayList<>();
  private final List<Operation> indeterminate = new ArrayList<>();

  private final Memo memo = new Memo();
  private final LinearizedSet linearized;
  private final long[] infoLinearized;
  private final Entry[] path;
  private final Object[][] statesBefore;
  private int depth;
  private Object[] state;
  private DeadEnd deepest;

  /** Prepares the search of {@code part}, one element of {@link History#splitByKey()}. */
  LinearizationSearch(History part) {
    keys = List.copyOf(part.keys());
    model = new KeyValueModel(keys);
    observations = new Observations(part.operations(), model, keys.size());
    for (Operation op : part.operations()) {
      if (op.outcome() == Outcome.OK) {
        determinate.add(op);
      } else if (op.outcome() == Outcome.INFO && op.input().stream().anyMatch(Access::mutates)) {
        indeterminate.add(op);
      }
    }
    // Ids in invocation order keep the linearized set a full prefix plus a small frontier.
    determinate.sort(Comparator.comparingLong(Operation::invokeNanos));
    linearized = new LinearizedSet(determinate.size());
    infoLinearized = new long[(indeterminate.size() + 63) >>> 6];
    path = new Entry[determinate.size() + indeterminate.size()];
    statesBefore = new Object[path.length][];
  }

  /** Searches until done or until {@link System#nanoTime()} passes {@code deadlineNanos}. */
  LinearizabilityResult run(long deadlineNanos) {
    Entry head = Entry.callsAndReturns(determinate, model);
    InfoOperations info =
        new InfoOperations(Entry.callsOnly(indeterminate, model), observations, keys.size());
    state = model.initialState();
    Entry entry = head.next; // the next OK call to try; its return once all were tried
    List<Entry> infoToTry = null; // at a dead end, the INFO calls worth trying
    int nextInfo = 0;
    long steps = 0;
    while (head.next != null) {
      if (++steps % STEPS_BETWEEN_CLOCK_READS == 0 && System.nanoTime() - deadlineNanos > 0) {
        return new LinearizabilityResult(
            Verdict.UNKNOWN, "keys " + keys + ": out of time after " + steps + " steps\n");
      }
      if (entry.isCall) {
        entry = tryLinearize(entry, head) ? head.next : entry.next;
        continue;
      }
      if (infoToTry == null) {
        infoToTry = info.worthTrying(state, needs(head, entry), entry.time, infoLinearized);
        nextInfo = 0;
      }
      if (nextInfo < infoToTry.size()) {
        if (tryLinearize(infoToTry.get(nextInfo++), head)) {
          entry = head.next;
          infoToTry = null;
        }
        continue;
      }
      noteDeadEnd(head, entry, infoToTry);
      if (depth == 0) {
        return new LinearizabilityResult(
            Verdict.NOT_LINEARIZABLE,
            "keys " + keys + ": not linearizable\n" + deepest.explain(model, path.length));
      }
      Entry undone = undo();
      if (undone.match != null) {
        entry = undone.next;
        infoToTry = null;
      } else {
        entry = firstReturn(head);
        infoToTry = info.worthTrying(state, needs(head, entry), entry.time, infoLinearized);
        nextInfo = infoToTry.indexOf(undone) + 1;
      }
    }
    return new LinearizabilityResult(Verdict.LINEARIZABLE, "");
  }

  /** What the OK operations called before {@code firstReturn} and blocked in this state need. */
  private List<Need> needs(Entry head, Entry firstReturn) {
    List<Need> needs = new ArrayList<>();
    for (Entry e = head.next; e != firstReturn; e = e.next) {
      if (model.step(state, e.op, e.slots) == null) {
        Need need = model.need(state, e.op, e.slots);
        if (need != null) {
          needs.add(need);
        }
      }
    }
    return needs;
  }

  /** Linearizes {@code call} next if the model allows it and that leads somewhere new. */
  private boolean tryLinearize(Entry call, Entry head) {
    Object[] next = model.step(state, call.op, call.slots);
    if (next == null) {
      return false;
    }
    path[depth] = call;
    statesBefore[depth++] = state;
    state = next;
    if (call.match != null) {
      linearized.set(call.id);
      call.lift();
    } else {
      flipInfo(call.id);
    }
    if (head.next == null || isNew(firstReturn(head).time)) {
      return true;
    }
    undo();
    return false;
  }

  /** Records the current configuration in the memo; {@code time} is its first return's. */
  private boolean isNew(long time) {
    return memo.add(linearized.key(), observations.canonical(state, time), infoLinearized);
  }

  /** Undoes the last linearization and returns its call entry. */
  private Entry undo() {
    Entry call = path[--depth];
    state = statesBefore[depth];
    if (call.match != null) {
      linearized.clear(call.id);
      call.unlift();
    } else {
      flipInfo(call.id);
    }
    return call;
  }

  private void flipInfo(int id) {
    infoLinearized[id >>> 6] ^= 1L << id;
  }

  private static Entry firstReturn(Entry head) {
    Entry e = head.next;
    while (e.isCall) {
      e = e.next;
    }
    return e;
  }

  private void noteDeadEnd(Entry head, Entry ret, List<Entry> infoTried) {
    if (deepest != null && deepest.depth() >= depth) {
      return;
    }
    List<Operation> tail = new ArrayList<>();
    for (int i = Math.max(0, depth - TAIL); i < depth; i++) {
      tail.add(path[i].op);
    }
    List<Operation> pending = new ArrayList<>();
    for (Entry e = head.next; e != ret && pending.size() < PENDING; e = e.next) {
      if (e.op != ret.op) {
        pending.add(e.op);
      }
    }
    for (int i = 0; i < infoTried.size() && pending.size() < PENDING; i++) {
      pending.add(infoTried.get(i).op);
    }
    deepest = new DeadEnd(depth, tail, state, ret.op, pending);
  }
}
