package io.aimstore.chaos.history;

import java.util.Objects;

/**
 * An increment of a lock-protected counter that the store accepted under a fencing token: the
 * client, holding {@code lock} with {@code token}, read the counter as {@code readValue} and wrote
 * {@code writtenValue} (normally {@code readValue + 1}) in a write guarded by the token.
 *
 * @param lock the lock name; each lock guards one counter
 * @param token the fencing token the write carried
 * @param client the client (holder) that made it
 * @param readValue the counter value it read while holding the lock
 * @param writtenValue the counter value it wrote
 * @param revision the revision the store applied it at
 */
public record FencedWrite(
    String lock, long token, int client, long readValue, long writtenValue, long revision) {

  public FencedWrite {
    Objects.requireNonNull(lock, "lock");
    if (revision <= 0) {
      throw new IllegalArgumentException("revision " + revision);
    }
  }

  @Override
  public String toString() {
    return "client "
        + client
        + " token "
        + token
        + " read "
        + readValue
        + " wrote "
        + writtenValue
        + " @"
        + revision;
  }
}
