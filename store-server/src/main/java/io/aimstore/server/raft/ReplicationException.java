package io.aimstore.server.raft;

/**
 * A proposal or linearizable read did not go through Raft. {@link #proposed()} tells whether the
 * request may still have been committed: if false, repeating it cannot apply it twice.
 */
public final class ReplicationException extends RuntimeException {
  private final boolean proposed;

  public ReplicationException(String message, boolean proposed, Throwable cause) {
    super(message, cause, false, false);
    this.proposed = proposed;
  }

  /** True when the request may have been committed: its outcome is unknown. */
  public boolean proposed() {
    return proposed;
  }
}
