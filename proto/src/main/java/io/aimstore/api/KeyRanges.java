package io.aimstore.api;

import com.google.protobuf.ByteString;

/**
 * How a key range is spelled on the wire, shared by server and clients (etcd's convention): an
 * empty {@code range_end} means the single key, {@code "\0"} means every key at or after {@code
 * key}, anything else is an exclusive end.
 */
public final class KeyRanges {
  /** The {@code range_end} meaning "no upper bound". */
  public static final ByteString ALL_FROM_KEY = ByteString.copyFrom(new byte[] {0});

  private KeyRanges() {}

  /**
   * The smallest key greater than every key starting with {@code prefix}: the range end of a prefix
   * scan. A prefix of only 0xFF bytes (or empty) has no such key, and {@link #ALL_FROM_KEY} is
   * returned.
   */
  public static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        byte[] out = new byte[i + 1];
        System.arraycopy(end, 0, out, 0, i + 1);
        return ByteString.copyFrom(out);
      }
    }
    return ALL_FROM_KEY;
  }

  /** Whether {@code key} lies in the range {@code [start, end)} spelled as on the wire. */
  public static boolean contains(ByteString start, ByteString end, ByteString key) {
    if (end.isEmpty()) {
      return start.equals(key);
    }
    if (ByteString.unsignedLexicographicalComparator().compare(key, start) < 0) {
      return false;
    }
    return end.equals(ALL_FROM_KEY)
        || ByteString.unsignedLexicographicalComparator().compare(key, end) < 0;
  }
}
