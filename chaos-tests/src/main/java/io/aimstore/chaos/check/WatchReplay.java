package io.aimstore.chaos.check;

import io.aimstore.chaos.check.WatchViolation.Guarantee;
import io.aimstore.chaos.history.WatchEvent;
import io.aimstore.chaos.history.WatchLog;
import io.aimstore.chaos.history.WatchMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Replays what one watcher received against the reference, collecting the violations. */
final class WatchReplay {

  private static final int SHOWN = 10;

  private final WatchLog log;
  private final CommittedEvents committed;

  /** The known revisions in the watch's range from its start revision on. */
  private final long[] matching;

  private final List<WatchViolation> violations = new ArrayList<>();
  private final Map<Long, Integer> firstResponse = new HashMap<>();
  private final Map<Long, Set<String>> keysDelivered = new HashMap<>();
  private final Set<Long> reportedSplit = new HashSet<>();
  private final Set<Long> reportedUndelivered = new HashSet<>();
  private long lastRevision;
  private long resumedAt;
  private int deliveredPrefix;

  WatchReplay(WatchLog log, CommittedEvents committed) {
    this.log = log;
    this.committed = committed;
    this.matching = committed.matching(log.range(), log.startRevision());
  }

  List<WatchViolation> run() {
    int response = 0;
    for (WatchMessage message : log.messages()) {
      if (message instanceof WatchMessage.Events events) {
        response++;
        for (WatchEvent event : events.events()) {
          receive(event, response);
        }
      } else if (message instanceof WatchMessage.Resumed resumed) {
        resumedAt = resumed.revision();
      } else if (message instanceof WatchMessage.Progress progress) {
        checkBookmark(progress.revision());
      }
    }
    checkReliableAndComplete();
    return violations;
  }

  private void receive(WatchEvent event, int response) {
    long revision = event.revision();
    if (resumedAt > 0) {
      checkResume(revision);
      resumedAt = 0;
    }
    Set<String> keys = keysDelivered.computeIfAbsent(revision, r -> new HashSet<>());
    if (!keys.add(event.key())) {
      report(Guarantee.UNIQUE, revision, event + " delivered again");
      return;
    }
    int first = firstResponse.computeIfAbsent(revision, r -> response);
    if (first != response) {
      if (reportedSplit.add(revision)) {
        report(
            Guarantee.ATOMIC,
            revision,
            "revision split across responses " + first + " and " + response);
      }
    } else if (revision < lastRevision && keys.size() == 1) { // once per revision
      report(Guarantee.ORDERED, revision, event + " delivered after revision " + lastRevision);
    }
    checkValid(event);
    lastRevision = Math.max(lastRevision, revision);
  }

  private void checkValid(WatchEvent event) {
    if (event.revision() < log.startRevision()) {
      report(
          Guarantee.VALID,
          event.revision(),
          event + " is before start revision " + log.startRevision());
    } else if (!log.range().contains(event.key())) {
      report(Guarantee.VALID, event.revision(), event + " is outside " + log.range());
    } else {
      Map<String, WatchEvent> atRevision = committed.at(event.revision());
      WatchEvent expected = atRevision == null ? event : atRevision.get(event.key());
      if (!event.equals(expected)) {
        report(
            Guarantee.VALID,
            event.revision(),
            event
                + " but the store committed "
                + (expected == null ? "no change of that key" : expected));
      }
    }
  }

  private void checkResume(long revision) {
    if (revision < resumedAt) {
      report(
          Guarantee.RESUMABLE,
          revision,
          "resumed at " + resumedAt + " but got revision " + revision);
      return;
    }
    int i = Arrays.binarySearch(matching, resumedAt);
    int next = i >= 0 ? i : -i - 1;
    if (next < matching.length && revision > matching[next]) {
      report(
          Guarantee.RESUMABLE,
          revision,
          "resumed at "
              + resumedAt
              + ": first event should be at "
              + matching[next]
              + ", got "
              + revision);
    }
  }

  private void checkBookmark(long progress) {
    while (deliveredPrefix < matching.length
        && firstResponse.containsKey(matching[deliveredPrefix])) {
      deliveredPrefix++;
    }
    List<Long> missing = new ArrayList<>();
    for (int i = deliveredPrefix; i < matching.length && matching[i] <= progress; i++) {
      long revision = matching[i];
      if (!firstResponse.containsKey(revision) && reportedUndelivered.add(revision)) {
        missing.add(revision);
      }
    }
    if (!missing.isEmpty()) {
      report(
          Guarantee.BOOKMARKABLE,
          progress,
          "progress at " + progress + " before revisions " + shown(missing) + " were delivered");
    }
  }

  private void checkReliableAndComplete() {
    for (long revision : matching) {
      if (revision > lastRevision) {
        return;
      }
      List<String> expected = committed.keysIn(log.range(), revision);
      Set<String> delivered = keysDelivered.get(revision);
      if (delivered == null) {
        report(
            Guarantee.RELIABLE,
            revision,
            "revision "
                + revision
                + " ("
                + shown(expected)
                + ") skipped; the watch saw up to "
                + lastRevision);
      } else if (!delivered.containsAll(expected)) {
        List<String> absent = expected.stream().filter(k -> !delivered.contains(k)).toList();
        report(
            Guarantee.ATOMIC,
            revision,
            "revision " + revision + " delivered without " + shown(absent));
      }
    }
  }

  private static String shown(List<?> items) {
    return items.size() <= SHOWN
        ? items.toString()
        : items.subList(0, SHOWN) + " and " + (items.size() - SHOWN) + " more";
  }

  private void report(Guarantee guarantee, long revision, String detail) {
    violations.add(new WatchViolation(guarantee, log.watchId(), revision, detail));
  }
}
