package io.aimstore.ops;

/**
 * aimctl's exit codes (also in docs/operations.md and {@code aimctl --help}). Commands that run
 * something of their own ({@code lock run}) pass its status through and use the high codes, like
 * {@code timeout(1)}.
 */
public final class ExitCodes {
  /** The command did what it was asked (for {@code status}: the cluster is healthy). */
  public static final int OK = 0;

  /** A request failed; the message says why and, for a write, whether it applied. */
  public static final int FAILED = 1;

  /** The command line or configuration is wrong (bad flag, endpoint, host, duration, file). */
  public static final int USAGE = 2;

  /** {@code status}: the cluster serves (a quorum agrees on a leader) but a member does not. */
  public static final int DEGRADED = 3;

  /** {@code status}: no quorum, or no leader: writes and linearizable reads fail. */
  public static final int NO_QUORUM = 4;

  /** {@code lock run}: the lock was lost while the command ran; the command was stopped. */
  public static final int LOCK_LOST = 75;

  /** {@code lock run}: the lock is held by someone else and --wait ran out; nothing ran. */
  public static final int LOCK_NOT_ACQUIRED = 124;

  /** {@code lock run}: aimctl could not take the lock (cluster unreachable...); nothing ran. */
  public static final int LOCK_RUN_FAILED = 125;

  private ExitCodes() {}
}
