package io.aimstore.server.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Durable storage of the replicated state. It stores and returns bytes and decides nothing: the
 * meaning of every key belongs to the core.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Writes happen only through {@link #beginBatch()}, one batch at a time.
 *   <li>{@link #appliedIndex()} is the index recorded by the last committed batch; it survives a
 *       process crash together with exactly the writes committed up to it.
 *   <li>Readers use {@link #snapshot()} from any thread, concurrently with a batch.
 * </ul>
 */
public interface Backend extends AutoCloseable {

  /** Starts the batch for one log entry. */
  Batch beginBatch();

  /** A consistent view of the last committed state. */
  Snapshot snapshot();

  /** Log index of the last committed batch, 0 for a new store. */
  long appliedIndex();

  /** Log term of the last committed batch, 0 for a new store. */
  long appliedTerm();

  /**
   * Writes a complete, self-contained copy of the committed state into {@code dir} (which must not
   * exist yet). Cheap: files are hard-linked where possible.
   */
  void checkpoint(Path dir) throws IOException;

  /** Approximate bytes used on disk and in memory buffers. */
  long sizeBytes();

  /**
   * Writes what the memory buffers hold (RocksDB's memtables) to files now, and waits: {@link
   * #sizeBytes()} then counts it as it is on disk (compressed). Changes no stored value.
   */
  void flush();

  /**
   * Gives the space of deleted data back to the file system now (RocksDB: flushes the memtables and
   * compacts every table, which drops what deletions and range deletions cover). Blocks until done;
   * may take long on a large store: never call it on the apply thread. Changes no stored value.
   */
  void reclaimSpace();

  @Override
  void close();
}
