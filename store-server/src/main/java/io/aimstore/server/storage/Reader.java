package io.aimstore.server.storage;

/** Point and ordered reads of the tables. */
public interface Reader {

  /** The value stored under {@code key}, or {@code null}. */
  byte[] get(Table table, byte[] key);

  /** A new cursor over {@code table}; the caller closes it. */
  Cursor cursor(Table table);
}
