package io.aimstore.server.watch;

/** What the hub counts; the node backs it with Micrometer, tests with nothing. */
public interface WatchMetrics {
  WatchMetrics NONE = new WatchMetrics() {};

  /** Events handed to watch streams. */
  default void delivered(int events) {}

  /** A watcher fell behind and was moved to catch-up from storage. */
  default void slow() {}

  /**
   * The dispatcher fell more than the backlog limit behind apply: every live watcher was moved to
   * catch-up from storage.
   */
  default void backlogOverflowed() {}
}
