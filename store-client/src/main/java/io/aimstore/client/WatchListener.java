package io.aimstore.client;

import io.aimstore.api.v1.Event;
import java.util.List;

/**
 * Receives one watch's events: every matching revision exactly once, in order, all events of a
 * revision together — also across reconnects to other members. Called on a client thread, one call
 * at a time per watch: return quickly.
 */
public interface WatchListener {

  /** The events of one revision. */
  void onRevision(long revision, List<Event> events);

  /** Every matching revision up to {@code revision} has been delivered. */
  default void onProgress(long revision) {}

  /**
   * The watch asked for history that was compacted; it has ended. Read the keys again and watch
   * from that read's revision + 1.
   */
  default void onCompacted(long compactRevision) {}

  /** The watch was refused or canceled by the store; it has ended. */
  default void onCanceled(String reason) {}
}
