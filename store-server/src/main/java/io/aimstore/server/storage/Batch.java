package io.aimstore.server.storage;

/**
 * The writes of one applied log entry. Reads through a batch see the committed state plus the
 * batch's own writes. {@link #commit} makes every write, and the applied log position, durable
 * together or not at all: after a crash the store is at some earlier committed batch, never between
 * two. Only one batch is open at a time (the apply thread owns it).
 */
public interface Batch extends Reader, AutoCloseable {

  void put(Table table, byte[] key, byte[] value);

  void delete(Table table, byte[] key);

  /**
   * Deletes every key in {@code [from, to)} when the batch commits. Unlike {@link #delete}, reads
   * through this batch do not see it: they still return those keys until the commit. Meant for
   * discarding long runs of committed history, which a reader then steps over in one move instead
   * of skipping every deleted key.
   */
  void deleteRange(Table table, byte[] from, byte[] to);

  /** Writes everything atomically and records {@code (term, index)} as the applied position. */
  void commit(long term, long index);

  /** Discards the batch if it was not committed. */
  @Override
  void close();
}
