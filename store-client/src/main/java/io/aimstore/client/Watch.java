package io.aimstore.client;

/**
 * Watches over one multiplexed stream per client. When the member a stream is connected to fails,
 * the client reconnects to another and resumes each watch from its last delivered revision + 1:
 * nothing is skipped and nothing is repeated.
 */
public interface Watch {

  WatchHandle watch(WatchOptions options, WatchListener listener);

  /** The same, as a blocking iterator of revisions. */
  default WatchIterator iterator(WatchOptions options) {
    return WatchIterator.open(this, options);
  }
}
