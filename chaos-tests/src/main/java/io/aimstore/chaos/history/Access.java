package io.aimstore.chaos.history;

import java.util.Objects;

/**
 * One key-level step of an {@link Operation}: read, write, delete or compare-and-set of one key.
 * Values are {@link String}s or {@link Long}s.
 *
 * @param kind what the step does, never {@link OpKind#TXN}
 * @param key the key
 * @param expected for {@link OpKind#CAS}, the value the key must hold ({@code null}: missing);
 *     {@code null} otherwise
 * @param value for {@link OpKind#WRITE} and {@link OpKind#CAS}, the non-null value written; {@code
 *     null} otherwise
 */
public record Access(OpKind kind, String key, Object expected, Object value) {

  public Access {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    if (kind == OpKind.TXN) {
      throw new IllegalArgumentException("an access cannot be a TXN");
    }
    requireValue(expected);
    requireValue(value);
    boolean writes = kind == OpKind.WRITE || kind == OpKind.CAS;
    if (writes != (value != null)) {
      throw new IllegalArgumentException(kind + " on " + key + ": value " + value);
    }
    if (kind != OpKind.CAS && expected != null) {
      throw new IllegalArgumentException(kind + " on " + key + " has an expected value");
    }
  }

  public static Access read(String key) {
    return new Access(OpKind.READ, key, null, null);
  }

  public static Access write(String key, Object value) {
    return new Access(OpKind.WRITE, key, null, value);
  }

  public static Access delete(String key) {
    return new Access(OpKind.DELETE, key, null, null);
  }

  public static Access cas(String key, Object expected, Object value) {
    return new Access(OpKind.CAS, key, expected, value);
  }

  /** Whether this step may change its key: a write, a delete or a compare-and-set. */
  public boolean mutates() {
    return kind != OpKind.READ;
  }

  /** Throws unless {@code value} is {@code null}, a {@link String} or a {@link Long}. */
  static void requireValue(Object value) {
    if (value != null && !(value instanceof String) && !(value instanceof Long)) {
      throw new IllegalArgumentException(
          "values are strings or longs, not " + value.getClass().getSimpleName());
    }
  }

  /** Renders a value for people: strings quoted, longs bare, a missing key as {@code nil}. */
  public static String show(Object value) {
    if (value == null) {
      return "nil";
    }
    return value instanceof String s ? '"' + s + '"' : value.toString();
  }

  @Override
  public String toString() {
    return switch (kind) {
      case READ -> "r " + key;
      case WRITE -> "w " + key + " " + show(value);
      case DELETE -> "del " + key;
      case CAS -> "cas " + key + " " + show(expected) + "->" + show(value);
      case TXN -> throw new AssertionError(kind);
    };
  }
}
