package io.aimstore.chaos.history;

import java.util.Objects;

/**
 * What a read found in one key, for example in the final read of every key after a run.
 *
 * @param value the value held, a {@link String} or {@link Long}; a missing key has no StoredValue
 * @param modRevision the revision that last modified the key; 0 if unknown
 */
public record StoredValue(Object value, long modRevision) {

  public StoredValue {
    Objects.requireNonNull(value, "value");
    Access.requireValue(value);
    if (modRevision < 0) {
      throw new IllegalArgumentException("modRevision " + modRevision);
    }
  }

  @Override
  public String toString() {
    return Access.show(value) + (modRevision > 0 ? " (rev " + modRevision + ")" : "");
  }
}
