package io.aimstore.chaos.history;

import java.util.Objects;

/**
 * The keys from {@code start} (inclusive) to {@code end} (exclusive), in {@link String} order (byte
 * order for ASCII keys), as a watch selects them.
 *
 * @param start the first key
 * @param end the first key after the range; {@code null}: no upper bound
 */
public record KeyRange(String start, String end) {

  public KeyRange {
    Objects.requireNonNull(start, "start");
    if (end != null && end.compareTo(start) <= 0) {
      throw new IllegalArgumentException("empty range [" + start + ", " + end + ")");
    }
  }

  /** Exactly {@code key}. */
  public static KeyRange single(String key) {
    return new KeyRange(key, key + '\0');
  }

  /** Every key that starts with {@code prefix}. */
  public static KeyRange prefix(String prefix) {
    int last = prefix.length() - 1;
    while (last >= 0 && prefix.charAt(last) == Character.MAX_VALUE) {
      last--;
    }
    return last < 0
        ? new KeyRange(prefix, null)
        : new KeyRange(prefix, prefix.substring(0, last) + (char) (prefix.charAt(last) + 1));
  }

  public boolean contains(String key) {
    return key.compareTo(start) >= 0 && (end == null || key.compareTo(end) < 0);
  }
}
