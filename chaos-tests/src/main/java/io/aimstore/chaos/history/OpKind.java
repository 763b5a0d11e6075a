package io.aimstore.chaos.history;

/**
 * What a client operation, or one {@link Access} of it, does to the keyspace. Values are strings or
 * longs; a missing key reads as {@code null}.
 */
public enum OpKind {
  /** Reads one key. Output: the value read, {@code null} if the key is missing. */
  READ,
  /** Sets one key to a non-null value. Output: {@code null}. */
  WRITE,
  /** Deletes one key; deleting a missing key is allowed. Output: {@code null}. */
  DELETE,
  /**
   * Sets one key to a new value if its current value equals the expected one ({@code null}:
   * missing). Output: {@link Boolean#TRUE} if it did, {@link Boolean#FALSE} if it left the key.
   */
  CAS,
  /**
   * Several accesses, possibly on several keys, applied atomically in order. Only an {@link
   * Operation} has this kind, never an {@link Access}.
   */
  TXN
}
