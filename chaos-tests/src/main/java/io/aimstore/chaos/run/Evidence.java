package io.aimstore.chaos.run;

import io.aimstore.chaos.check.DurabilityChecker;
import io.aimstore.chaos.check.LinearizabilityChecker;
import io.aimstore.chaos.check.LinearizabilityResult;
import io.aimstore.chaos.check.LockChecker;
import io.aimstore.chaos.check.LockViolation;
import io.aimstore.chaos.check.LostWrite;
import io.aimstore.chaos.check.WatchChecker;
import io.aimstore.chaos.check.WatchViolation;
import io.aimstore.chaos.history.FencedWrite;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.RunLogs;
import io.aimstore.chaos.history.StoredValue;
import io.aimstore.chaos.history.WatchEvent;
import io.aimstore.chaos.history.WatchLog;
import io.aimstore.chaos.history.WatchMessage;
import io.aimstore.chaos.workload.LockWorkload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a run recorded that the checkers judge, and the checking itself: the same for a run
 * that just ended and for one read back from its directory ({@code chaos-tests/run --recheck}).
 *
 * @param history the register operations
 * @param finalRead every key's value after all members restarted (register keys and counters)
 * @param committed the register changes the store acknowledged, with their revisions
 * @param watches what each watcher received
 * @param fenced the fenced counter writes the store accepted
 */
public record Evidence(
    History history,
    Map<String, StoredValue> finalRead,
    List<WatchEvent> committed,
    List<WatchLog> watches,
    List<FencedWrite> fenced) {

  static final String HISTORY = "history.jsonl";
  static final String FINAL_READ = "final-read.jsonl";
  static final String COMMITTED = "committed.jsonl";
  static final String WATCHES = "watches.jsonl";
  static final String FENCED = "fenced.jsonl";

  /** What the checkers found. */
  public record Findings(
      LinearizabilityResult linearizability,
      List<LostWrite> lost,
      List<WatchViolation> watch,
      List<LockViolation> lock,
      Map<String, Long> checkMillis) {}

  /** Writes the evidence into {@code dir}, one file each. */
  public void save(Path dir) throws IOException {
    history.write(dir.resolve(HISTORY));
    TreeSet<String> keys = new TreeSet<>(history.keys());
    keys.addAll(finalRead.keySet());
    RunLogs.writeFinalRead(finalRead, keys, dir.resolve(FINAL_READ));
    RunLogs.writeEvents(committed, dir.resolve(COMMITTED));
    RunLogs.writeWatchLogs(watches, dir.resolve(WATCHES));
    RunLogs.writeFencedWrites(fenced, dir.resolve(FENCED));
  }

  /** Reads what {@link #save} wrote. */
  public static Evidence load(Path dir) throws IOException {
    if (!Files.exists(dir.resolve(HISTORY))) {
      throw new IOException(
          dir + " holds no " + HISTORY + " (the files of passing runs are deleted unless --keep)");
    }
    return new Evidence(
        History.read(dir.resolve(HISTORY)),
        RunLogs.readFinalRead(dir.resolve(FINAL_READ)),
        RunLogs.readEvents(dir.resolve(COMMITTED)),
        RunLogs.readWatchLogs(dir.resolve(WATCHES)),
        RunLogs.readFencedWrites(dir.resolve(FENCED)));
  }

  /** Deletes the files {@link #save} wrote (of a run that passed). */
  static void delete(Path dir) throws IOException {
    for (String f : List.of(HISTORY, FINAL_READ, COMMITTED, WATCHES, FENCED)) {
      Files.deleteIfExists(dir.resolve(f));
    }
  }

  /** The counters as the final read found them, by lock name. */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    String prefix = LockWorkload.counterKey("");
    finalRead.forEach(
        (key, v) -> {
          if (key.startsWith(prefix)) {
            out.put(key.substring(prefix.length()), Long.parseLong(v.value().toString()));
          }
        });
    return out;
  }

  /**
   * Runs the four checkers.
   *
   * @param budget the linearizability checker's time
   * @param moreWatchViolations found while the run went on (watchers that stalled)
   */
  public Findings check(Duration budget, List<WatchViolation> moreWatchViolations) {
    Map<String, Long> millis = new LinkedHashMap<>();
    long t = System.nanoTime();
    LinearizabilityResult lin = LinearizabilityChecker.check(history, budget);
    millis.put("linearizability", ms(t));
    t = System.nanoTime();
    List<LostWrite> lost = DurabilityChecker.check(history, finalRead);
    millis.put("durability", ms(t));
    t = System.nanoTime();
    List<WatchViolation> watch = new ArrayList<>(WatchChecker.check(committed, watches));
    watch.addAll(appliedTwice(watches));
    watch.addAll(moreWatchViolations);
    millis.put("watch", ms(t));
    t = System.nanoTime();
    List<LockViolation> lock = LockChecker.check(new ArrayList<>(fenced), counters());
    millis.put("lock", ms(t));
    return new Findings(lin, lost, watch, lock, millis);
  }

  /**
   * Puts the watchers saw applied twice: every value a client writes is unique in the run, so the
   * same value put to the same key at two revisions means one write took effect twice (a retried or
   * re-forwarded proposal). Reported once per duplicate, by the first watcher that saw it.
   */
  static List<WatchViolation> appliedTwice(List<WatchLog> watches) {
    List<WatchViolation> out = new ArrayList<>();
    Map<String, Long> reported = new java.util.HashMap<>();
    for (WatchLog log : watches) {
      Map<String, Long> firstSeen = new java.util.HashMap<>();
      for (WatchMessage m : log.messages()) {
        if (!(m instanceof WatchMessage.Events events)) {
          continue;
        }
        for (WatchEvent e : events.events()) {
          if (e.type() != WatchEvent.Type.PUT) {
            continue;
          }
          String id = e.key() + "\u0000" + e.value();
          Long first = firstSeen.putIfAbsent(id, e.revision());
          if (first != null && first != e.revision() && reported.putIfAbsent(id, first) == null) {
            out.add(
                new WatchViolation(
                    WatchViolation.Guarantee.VALID,
                    log.watchId(),
                    e.revision(),
                    "the put of "
                        + e.key()
                        + " = "
                        + io.aimstore.chaos.history.Access.show(e.value())
                        + " was applied twice, at revisions "
                        + first
                        + " and "
                        + e.revision()
                        + " (every value is written once)"));
          }
        }
      }
    }
    return out;
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
