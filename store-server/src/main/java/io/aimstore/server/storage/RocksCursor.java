package io.aimstore.server.storage;

import org.rocksdb.RocksIterator;

/** A {@link Cursor} over a RocksDB iterator. */
final class RocksCursor implements Cursor {
  private final RocksIterator it;
  private final AutoCloseable[] alsoClose;

  RocksCursor(RocksIterator it, AutoCloseable... alsoClose) {
    this.it = it;
    this.alsoClose = alsoClose;
  }

  @Override
  public void seek(byte[] key) {
    it.seek(key);
  }

  @Override
  public void seekForPrev(byte[] key) {
    it.seekForPrev(key);
  }

  @Override
  public void seekToFirst() {
    it.seekToFirst();
  }

  @Override
  public void seekToLast() {
    it.seekToLast();
  }

  @Override
  public boolean isValid() {
    return it.isValid();
  }

  @Override
  public byte[] key() {
    return it.key();
  }

  @Override
  public byte[] value() {
    return it.value();
  }

  @Override
  public void next() {
    it.next();
  }

  @Override
  public void prev() {
    it.prev();
  }

  @Override
  public void close() {
    it.close();
    for (AutoCloseable c : alsoClose) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
