package io.aimstore.server.watch;

import java.time.Duration;

/**
 * Tuning of the watch hub.
 *
 * @param bufferRevisions responses a watcher may have queued; one more and it is moved to catch-up
 *     from storage (so a slow watcher never holds up the others or apply)
 * @param catchUpBatchEvents events read from storage per catch-up step
 * @param progressInterval idle watchers that asked for progress notifications get one this often
 * @param dispatchBacklogRevisions revisions apply may have published that the dispatcher has not
 *     taken yet; past this the hub stops holding events in memory and every live watcher catches up
 *     from storage instead (nothing lost, nothing repeated), so memory stays bounded however far
 *     the dispatcher falls behind
 */
public record WatchSettings(
    int bufferRevisions,
    int catchUpBatchEvents,
    Duration progressInterval,
    int dispatchBacklogRevisions) {
  public static final WatchSettings DEFAULT =
      new WatchSettings(1024, 1000, Duration.ofSeconds(5), 50_000);

  /** Settings with the default dispatch backlog. */
  public WatchSettings(int bufferRevisions, int catchUpBatchEvents, Duration progressInterval) {
    this(bufferRevisions, catchUpBatchEvents, progressInterval, DEFAULT.dispatchBacklogRevisions);
  }
}
