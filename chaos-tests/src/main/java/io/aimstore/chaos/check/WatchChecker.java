package io.aimstore.chaos.check;

import io.aimstore.chaos.history.WatchEvent;
import io.aimstore.chaos.history.WatchLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks what watchers received against what the store committed, for the guarantees of {@link
 * WatchViolation.Guarantee}: ordered, unique, atomic, reliable, resumable, bookmarkable, valid.
 *
 * <p>The reference may be partial (for example built from the writers' acknowledged revisions):
 * revisions it does not know are neither required from watchers nor checked for content. An event
 * is identified by its revision and key.
 */
public final class WatchChecker {

  private WatchChecker() {}

  /**
   * Returns every violation, watcher by watcher in the given order, each in the order found.
   *
   * @param committed the events the store committed, in any order, at most one per revision and key
   * @param watchers what each watcher received
   */
  public static List<WatchViolation> check(
      Collection<WatchEvent> committed, List<WatchLog> watchers) {
    CommittedEvents reference = new CommittedEvents(committed);
    List<WatchViolation> violations = new ArrayList<>();
    for (WatchLog log : watchers) {
      violations.addAll(new WatchReplay(log, reference).run());
    }
    return violations;
  }
}
