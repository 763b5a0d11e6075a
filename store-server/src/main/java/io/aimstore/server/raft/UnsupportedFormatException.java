package io.aimstore.server.raft;

/**
 * A log entry is in a format version above what this member applies: the member stops applying
 * rather than apply it differently from the members that understand it.
 */
public final class UnsupportedFormatException extends IllegalStateException {
  public UnsupportedFormatException(String message) {
    super(message);
  }
}
