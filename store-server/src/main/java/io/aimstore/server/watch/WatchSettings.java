package io.aimstore.server.watch;

import java.time.Duration;

/**
 * Tuning of the watch hub.
 *
 * @param bufferRevisions responses a watcher may have queued; one more and it is moved to catch-up
 *     from storage (so a slow watcher never holds up the others or apply)
 * @param catchUpBatchEvents events read from storage per catch-up step
 * @param progressInterval idle watchers that asked for progress notifications get one this often
 */
public record WatchSettings(
    int bufferRevisions, int catchUpBatchEvents, Duration progressInterval) {
  public static final WatchSettings DEFAULT = new WatchSettings(1024, 1000, Duration.ofSeconds(5));
}
