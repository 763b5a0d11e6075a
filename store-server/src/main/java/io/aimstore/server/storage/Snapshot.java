package io.aimstore.server.storage;

/**
 * An immutable, consistent view of the store as of one committed batch: later commits are not
 * visible through it. Safe to use from any one thread at a time; close it to release resources.
 */
public interface Snapshot extends Reader, AutoCloseable {
  @Override
  void close();
}
