package io.aimstore.server.core;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Byte layouts of the core's table keys.
 *
 * <p>Table KV holds every version of every key under {@code escape(userKey) + revision}. The escape
 * keeps user-key order and makes the encoding prefix-free: byte 0x00 becomes 0x00 0xFF and the key
 * ends with the terminator 0x00 0x01, which sorts below any continuation. So all versions of one
 * key are adjacent, ordered by revision, and the keys are in user-key order:
 *
 * <pre>
 *   user key   revision   KV table key (hex)
 *   "a"        5          61 00 01 | 00..05
 *   "a"        9          61 00 01 | 00..09     &lt;- latest "a" at any revision &gt;= 9
 *   "a\0b"     7          61 00 FF 62 00 01 | 00..07
 *   "ab"       6          61 62 00 01 | 00..06
 * </pre>
 *
 * <p>The value of "a" as of revision R is the last entry at or before {@code escape("a") + R} (one
 * {@code seekForPrev}), unless that entry is a tombstone.
 */
final class Keys {
  static final int REVISION_BYTES = Long.BYTES;
  private static final byte ESCAPE = 0x00;
  private static final byte ESCAPED_ZERO = (byte) 0xFF;
  private static final byte TERMINATOR = 0x01;

  private Keys() {}

  /** The escaped, terminated form of a user key: the common prefix of all its versions. */
  static byte[] escape(byte[] userKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(userKey.length + 2);
    for (byte b : userKey) {
      out.write(b);
      if (b == ESCAPE) {
        out.write(ESCAPED_ZERO);
      }
    }
    out.write(ESCAPE);
    out.write(TERMINATOR);
    return out.toByteArray();
  }

  /** The user key of an escaped prefix (the inverse of {@link #escape}). */
  static byte[] unescape(byte[] escaped, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length);
    for (int i = 0; i < length; i++) {
      byte b = escaped[i];
      if (b == ESCAPE) {
        if (escaped[i + 1] == TERMINATOR) {
          break;
        }
        i++;
      }
      out.write(b);
    }
    return out.toByteArray();
  }

  /** KV table key of {@code escapedKey} at {@code revision}. */
  static byte[] version(byte[] escapedKey, long revision) {
    byte[] k = Arrays.copyOf(escapedKey, escapedKey.length + REVISION_BYTES);
    putLong(k, escapedKey.length, revision);
    return k;
  }

  /** The escaped-key part of a KV table key. */
  static byte[] escapedPart(byte[] versionKey) {
    return Arrays.copyOf(versionKey, versionKey.length - REVISION_BYTES);
  }

  /** The revision part of a KV table key. */
  static long revisionOf(byte[] versionKey) {
    return getLong(versionKey, versionKey.length - REVISION_BYTES);
  }

  /** The user key of a KV table key. */
  static byte[] userKeyOf(byte[] versionKey) {
    return unescape(versionKey, versionKey.length - REVISION_BYTES);
  }

  static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length
        && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** EVENTS table key: revision then position within the revision. */
  static byte[] event(long revision, int sub) {
    byte[] k = new byte[Long.BYTES + Integer.BYTES];
    putLong(k, 0, revision);
    k[8] = (byte) (sub >>> 24);
    k[9] = (byte) (sub >>> 16);
    k[10] = (byte) (sub >>> 8);
    k[11] = (byte) sub;
    return k;
  }

  static long eventRevision(byte[] eventKey) {
    return getLong(eventKey, 0);
  }

  /** A big-endian long, so that numeric order is byte order for non-negative values. */
  static byte[] ofLong(long v) {
    byte[] b = new byte[Long.BYTES];
    putLong(b, 0, v);
    return b;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
