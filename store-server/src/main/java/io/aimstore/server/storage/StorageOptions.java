package io.aimstore.server.storage;

/**
 * Tuning of the RocksDB backend.
 *
 * @param disableWal skip RocksDB's write-ahead log. Safe because the Raft log is the durability
 *     point and every batch records the applied index: after a crash RocksDB reopens at an earlier
 *     applied index and the entries after it are applied again.
 * @param blockCacheBytes size of the shared block cache
 */
public record StorageOptions(boolean disableWal, long blockCacheBytes) {
  public static final StorageOptions DEFAULT = new StorageOptions(false, 64L << 20);
}
