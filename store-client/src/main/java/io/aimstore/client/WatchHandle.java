package io.aimstore.client;

/** A running watch. Closing it cancels it. */
public interface WatchHandle extends AutoCloseable {

  /** The last revision delivered (or known to be covered by a progress notification). */
  long lastRevision();

  /** Whether the watch has ended (closed, compacted or canceled). */
  boolean isDone();

  @Override
  void close();
}
