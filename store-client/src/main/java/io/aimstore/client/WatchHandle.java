package io.aimstore.client;

/**
 * A running watch. Closing it cancels it (idempotent); after {@link #close()} the listener gets no
 * further calls, except one already under way. Thread-safe.
 */
public interface WatchHandle extends AutoCloseable {

  /** The last revision delivered (or known to be covered by a progress notification). */
  long lastRevision();

  /** Whether the watch has ended (closed, compacted or canceled). */
  boolean isDone();

  @Override
  void close();
}
