package io.aimstore.server.raft;

/** This member cannot serve right now (starting, stopping, installing a snapshot): try another. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message) {
    super(message, null, false, false);
  }
}
