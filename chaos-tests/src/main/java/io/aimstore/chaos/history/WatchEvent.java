package io.aimstore.chaos.history;

import java.util.Objects;

/**
 * One change of one key, as the store committed it or as a watcher received it. A revision holds
 * one or more events (several for a transaction), at most one per key.
 *
 * @param revision the revision that made the change
 * @param key the key changed
 * @param type a put or a delete
 * @param value for a put, the value written ({@link String} or {@link Long}); {@code null} for a
 *     delete
 */
public record WatchEvent(long revision, String key, Type type, Object value) {

  /** What happened to the key. */
  public enum Type {
    PUT,
    DELETE
  }

  public WatchEvent {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Access.requireValue(value);
    if (revision <= 0) {
      throw new IllegalArgumentException("revision " + revision);
    }
    if ((type == Type.PUT) != (value != null)) {
      throw new IllegalArgumentException(type + " of " + key + " with value " + value);
    }
  }

  public static WatchEvent put(long revision, String key, Object value) {
    return new WatchEvent(revision, key, Type.PUT, value);
  }

  public static WatchEvent delete(long revision, String key) {
    return new WatchEvent(revision, key, Type.DELETE, null);
  }

  @Override
  public String toString() {
    return "@"
        + revision
        + " "
        + type
        + " "
        + key
        + (value == null ? "" : " " + Access.show(value));
  }
}
