package io.aimstore.chaos.check;

import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.StoredValue;

/**
 * An acknowledged write the store lost: the final read of its key shows neither its value nor the
 * value of any write that could have come after it.
 *
 * @param key the key written
 * @param write the acknowledged operation
 * @param value the value it left in the key ({@code null}: it deleted the key)
 * @param found what the final read found ({@code null}: the key was missing)
 */
public record LostWrite(String key, Operation write, Object value, StoredValue found) {

  @Override
  public String toString() {
    return "key "
        + key
        + ": acknowledged "
        + Access.show(value)
        + " by "
        + write
        + " is lost; the final read found "
        + (found == null ? "nil" : found);
  }
}
