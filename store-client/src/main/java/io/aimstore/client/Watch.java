package io.aimstore.client;

/**
 * Watches over one multiplexed stream per client. When the member a stream is connected to fails,
 * the client reconnects to another and resumes each watch from its last delivered revision + 1:
 * nothing is skipped and nothing is repeated. Thread-safe.
 */
public interface Watch {

  /**
   * Starts a watch and returns at once. {@code listener} is called on a client thread, one call at
   * a time per watch, from the watch's start revision on. A watch that asks for compacted history
   * ends with {@link WatchListener#onCompacted}; one the store refuses ends with {@link
   * WatchListener#onCanceled}. Member failures are not reported: the watch resumes elsewhere.
   */
  WatchHandle watch(WatchOptions options, WatchListener listener);

  /** The same, as a blocking iterator of revisions (read it from one thread). */
  default WatchIterator iterator(WatchOptions options) {
    return WatchIterator.open(this, options);
  }
}
