package io.aimstore.server.storage;

/**
 * Tuning of the RocksDB backend.
 *
 * @param disableWal skip RocksDB's write-ahead log. Safe because the Raft log is the durability
 *     point and every batch records the applied index: after a crash RocksDB reopens at an earlier
 *     applied index and the entries after it are applied again.
 * @param blockCacheBytes size of the shared block cache
 * @param quotaBackendBytes the store's quota ({@code quota-backend-bytes}): past it the member
 *     raises a NOSPACE alarm (docs/operations.md#full-disk); 0 for none
 */
public record StorageOptions(boolean disableWal, long blockCacheBytes, long quotaBackendBytes) {
  /** etcd's default quota: 2 GiB. */
  public static final long DEFAULT_QUOTA_BYTES = 2L << 30;

  public static final StorageOptions DEFAULT =
      new StorageOptions(false, 64L << 20, DEFAULT_QUOTA_BYTES);

  /** Without a quota argument: the default quota. */
  public StorageOptions(boolean disableWal, long blockCacheBytes) {
    this(disableWal, blockCacheBytes, DEFAULT_QUOTA_BYTES);
  }

  public StorageOptions withQuotaBackendBytes(long bytes) {
    return new StorageOptions(disableWal, blockCacheBytes, bytes);
  }
}
