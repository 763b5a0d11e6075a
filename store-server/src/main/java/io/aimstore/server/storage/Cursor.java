package io.aimstore.server.storage;

/**
 * A position in one table, ordered by unsigned byte-wise key comparison. Not thread-safe; close it
 * when done.
 */
public interface Cursor extends AutoCloseable {

  /** Moves to the first entry with key >= {@code key}. */
  void seek(byte[] key);

  /** Moves to the last entry with key <= {@code key}. */
  void seekForPrev(byte[] key);

  /** Moves to the first entry of the table. */
  void seekToFirst();

  /** Moves to the last entry of the table. */
  void seekToLast();

  /** Whether the cursor points at an entry. */
  boolean isValid();

  /** Key at the current position; valid only while {@link #isValid()}. */
  byte[] key();

  /** Value at the current position; valid only while {@link #isValid()}. */
  byte[] value();

  void next();

  void prev();

  @Override
  void close();
}
