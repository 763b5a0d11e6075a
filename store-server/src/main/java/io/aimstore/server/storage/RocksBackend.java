package io.aimstore.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.PerfContext;
import org.rocksdb.PerfLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * {@link Backend} on RocksDB: one column family per {@link Table}, one {@code WriteBatchWithIndex}
 * per applied log entry, the applied (term, index) written into {@link Table#META} by the same
 * batch. RocksDB's own WAL is unsynced (or off): the Raft log is the durability point.
 */
public final class RocksBackend implements Backend {
  static {
    RocksDB.loadLibrary();
  }

  private static final byte[] APPLIED_KEY = "applied".getBytes(StandardCharsets.UTF_8);

  private final Path dir;
  private final LRUCache cache;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> allHandles;
  private final Map<Table, ColumnFamilyHandle> handles = new EnumMap<>(Table.class);
  private volatile long appliedIndex;
  private volatile long appliedTerm;

  private RocksBackend(Path dir, StorageOptions options) throws RocksDBException, IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    this.cache = new LRUCache(options.blockCacheBytes());
    this.dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setAtomicFlush(true)
            .setMaxBackgroundJobs(2)
            .setKeepLogFileNum(3);
    this.cfOptions =
        new ColumnFamilyOptions()
            .setCompressionType(CompressionType.LZ4_COMPRESSION)
            .setTableFormatConfig(
                new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(new BloomFilter(10, false))
                    .setWholeKeyFiltering(true));
    this.writeOptions = new WriteOptions().setSync(false).setDisableWAL(options.disableWal());
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (Table t : Table.values()) {
      descriptors.add(new ColumnFamilyDescriptor(t.columnFamilyName(), cfOptions));
    }
    this.allHandles = new ArrayList<>();
    this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, allHandles);
    for (Table t : Table.values()) {
      handles.put(t, allHandles.get(t.ordinal() + 1));
    }
    byte[] applied = db.get(handles.get(Table.META), APPLIED_KEY);
    if (applied != null) {
      ByteBuffer b = ByteBuffer.wrap(applied);
      appliedTerm = b.getLong();
      appliedIndex = b.getLong();
    }
  }

  /**
   * Opens (creating if needed) the store in {@code dir}.
   *
   * @throws DamagedFileException when RocksDB finds a damaged file while opening
   */
  public static RocksBackend open(Path dir, StorageOptions options) throws IOException {
    try {
      return new RocksBackend(dir, options);
    } catch (RocksDBException e) {
      if (isCorruption(e)) {
        throw damaged(dir, e);
      }
      throw new IOException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads every table file through and checks each block against its checksum (RocksDB's {@code
   * VerifyChecksum}): the blocks reads never touched included. Reads check the blocks they touch
   * anyway; this finds damage before a read (or a compaction) would trip on it. Costs one
   * sequential read of the store (measured in docs/operations.md, "Corruption").
   *
   * @throws DamagedFileException naming the first damaged file
   */
  public void verifyChecksums() throws IOException {
    try {
      db.verifyChecksum();
    } catch (RocksDBException e) {
      if (isCorruption(e)) {
        throw damaged(dir, e);
      }
      throw new IOException("cannot check the RocksDB files in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static final java.util.regex.Pattern FILE_IN_MESSAGE =
      java.util.regex.Pattern.compile("(/\\S+?\\.(?:sst|log|blob)|/\\S*MANIFEST-\\d+)");

  private static boolean isCorruption(RocksDBException e) {
    return (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption)
        || String.valueOf(e.getMessage()).startsWith("Corruption");
  }

  /** RocksDB's corruption message names the file: the refusal names it first. */
  private static DamagedFileException damaged(Path dir, RocksDBException e) {
    String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
    java.util.regex.Matcher m = FILE_IN_MESSAGE.matcher(message);
    Path file = m.find() ? Path.of(m.group(1)) : dir;
    DamagedFileException d = new DamagedFileException("RocksDB file", file, message);
    d.initCause(e);
    return d;
  }

  /** The directory holding the database files. */
  public Path directory() {
    return dir;
  }

  @Override
  public long appliedIndex() {
    return appliedIndex;
  }

  @Override
  public long appliedTerm() {
    return appliedTerm;
  }

  /**
   * How many stored entries RocksDB stepped through for the calling thread's reads while {@code
   * reads} ran: deleted entries and older versions it skipped, and every step of an iterator in a
   * memtable. Reads that pass deleted history one entry at a time make it grow with that history;
   * for tests and diagnostics.
   */
  public long entriesSteppedDuring(Runnable reads) {
    PerfLevel before = db.getPerfLevel();
    db.setPerfLevel(PerfLevel.ENABLE_COUNT);
    try {
      PerfContext perf = db.getPerfContext();
      perf.reset();
      reads.run();
      return perf.getInternalKeySkippedCount()
          + perf.getInternalDeleteSkippedCount()
          + perf.getNextOnMemtableCount()
          + perf.getPrevOnMemtableCount();
    } finally {
      db.setPerfLevel(before);
    }
  }

  /**
   * Waits until no memtable waits to be flushed (at most {@code timeout}): after a compaction, the
   * moment its deletions have left memory. For tests and diagnostics.
   */
  public void awaitFlushes(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (db.getAggregatedLongProperty("rocksdb.num-immutable-mem-table") > 0) {
        if (System.nanoTime() > deadline) {
          throw new StorageException("memtables still unflushed after " + timeout, null);
        }
        Thread.sleep(1);
      }
    } catch (RocksDBException e) {
      throw new StorageException("cannot read the memtable count", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted waiting for a flush", null);
    }
  }

  ColumnFamilyHandle handle(Table table) {
    return handles.get(table);
  }

  @Override
  public Batch beginBatch() {
    return new RocksBatch();
  }

  @Override
  public Snapshot snapshot() {
    return new RocksSnapshot();
  }

  @Override
  public void checkpoint(Path target) throws IOException {
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new IOException("checkpoint into " + target + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The SST files of the current version ({@code rocksdb.live-sst-files-size}: not the inputs of a
   * finished compaction that a reader still pins, which {@code total-sst-files-size} would count
   * twice for a while) plus the memtables.
   */
  @Override
  public long sizeBytes() {
    try {
      return db.getAggregatedLongProperty("rocksdb.live-sst-files-size")
          + db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables");
    } catch (RocksDBException e) {
      return -1;
    }
  }

  @Override
  public void flush() {
    try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
      db.flush(f, allHandles);
    } catch (RocksDBException e) {
      throw new StorageException("flush failed", e);
    }
  }

  @Override
  public void reclaimSpace() {
    flush();
    try {
      for (ColumnFamilyHandle h : allHandles) {
        db.compactRange(h);
      }
    } catch (RocksDBException e) {
      throw new StorageException("compaction to reclaim space failed", e);
    }
  }

  @Override
  public void close() {
    for (ColumnFamilyHandle h : allHandles) {
      h.close();
    }
    db.close();
    writeOptions.close();
    cfOptions.close();
    dbOptions.close();
    cache.close();
  }

  /**
   * Starts flushing the tables' memtables, without waiting. Keys that a range deletion covers in
   * the same memtable are stepped over one by one by every read until a flush drops them; in a file
   * of their own they are passed in one step.
   */
  private void flushSoon(Set<Table> tables) {
    List<ColumnFamilyHandle> cfs = new ArrayList<>();
    for (Table t : tables) {
      cfs.add(handles.get(t));
    }
    try (FlushOptions f = new FlushOptions().setWaitForFlush(false)) {
      db.flush(f, cfs);
    } catch (RocksDBException e) {
      throw new StorageException("flush after a range deletion failed", e);
    }
  }

  private final class RocksBatch implements Batch {
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final ReadOptions readOptions = new ReadOptions();
    private final Set<Table> rangeDeleted = EnumSet.noneOf(Table.class);

    @Override
    public byte[] get(Table table, byte[] key) {
      try {
        return batch.getFromBatchAndDB(db, handles.get(table), readOptions, key);
      } catch (RocksDBException e) {
        throw new StorageException("read of " + table + " failed", e);
      }
    }

    @Override
    public Cursor cursor(Table table) {
      ReadOptions ro = new ReadOptions();
      ColumnFamilyHandle h = handles.get(table);
      return new RocksCursor(batch.newIteratorWithBase(h, db.newIterator(h, ro), ro), ro);
    }

    @Override
    public void put(Table table, byte[] key, byte[] value) {
      try {
        batch.put(handles.get(table), key, value);
      } catch (RocksDBException e) {
        throw new StorageException("write to " + table + " failed", e);
      }
    }

    @Override
    public void delete(Table table, byte[] key) {
      try {
        batch.delete(handles.get(table), key);
      } catch (RocksDBException e) {
        throw new StorageException("delete in " + table + " failed", e);
      }
    }

    @Override
    public void deleteRange(Table table, byte[] from, byte[] to) {
      try {
        // The index of a WriteBatchWithIndex cannot hold range deletions; the batch it writes can.
        batch.getWriteBatch().deleteRange(handles.get(table), from, to);
        rangeDeleted.add(table);
      } catch (RocksDBException e) {
        throw new StorageException("range delete in " + table + " failed", e);
      }
    }

    @Override
    public void commit(long term, long index) {
      put(Table.META, APPLIED_KEY, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
      try {
        db.write(writeOptions, batch);
      } catch (RocksDBException e) {
        throw new StorageException("commit of log index " + index + " failed", e);
      }
      appliedTerm = term;
      appliedIndex = index;
      if (!rangeDeleted.isEmpty()) {
        flushSoon(rangeDeleted);
      }
    }

    @Override
    public void close() {
      batch.close();
      readOptions.close();
    }
  }

  private final class RocksSnapshot implements Snapshot {
    private final org.rocksdb.Snapshot snapshot = db.getSnapshot();
    private final ReadOptions readOptions = new ReadOptions().setSnapshot(snapshot);

    @Override
    public byte[] get(Table table, byte[] key) {
      try {
        return db.get(handles.get(table), readOptions, key);
      } catch (RocksDBException e) {
        throw new StorageException("read of " + table + " failed", e);
      }
    }

    @Override
    public Cursor cursor(Table table) {
      return new RocksCursor(db.newIterator(handles.get(table), readOptions));
    }

    @Override
    public void close() {
      readOptions.close();
      db.releaseSnapshot(snapshot);
    }
  }
}
