package io.aimstore.chaos.history;

import java.util.List;
import java.util.Objects;

/**
 * Everything one logical watcher received, across the reconnects its client made for it.
 *
 * @param watchId names the watcher in reports
 * @param range the keys it watches
 * @param startRevision the first revision it asked for (at least 1); when it was created "from
 *     now", the revision of the creation response + 1
 * @param messages what it received, in order
 */
public record WatchLog(
    String watchId, KeyRange range, long startRevision, List<WatchMessage> messages) {

  public WatchLog {
    Objects.requireNonNull(watchId, "watchId");
    Objects.requireNonNull(range, "range");
    messages = List.copyOf(messages);
    if (startRevision < 1) {
      throw new IllegalArgumentException("startRevision " + startRevision);
    }
  }
}
