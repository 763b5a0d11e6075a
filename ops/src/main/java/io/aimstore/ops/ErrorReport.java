package io.aimstore.ops;

import io.aimstore.client.AimStoreException;
import io.aimstore.ops.cli.CommandBase;
import java.io.PrintWriter;

/**
 * How a failed command tells the user: one line saying what failed, for a write one line saying
 * whether it applied, and a hint when the cluster could not be reached. Never a stack trace (set
 * {@code AIMCTL_DEBUG=1} to see one), never transport internals.
 */
public final class ErrorReport {
  private ErrorReport() {}

  /** Prints the report for {@code e}, thrown by {@code command}; returns the exit code. */
  static int print(
      Exception e, Object command, ClusterTarget target, PrintWriter err, boolean debug) {
    if (debug) {
      e.printStackTrace(err);
    }
    if (e instanceof Aimctl.UsageError u) {
      err.println("aimctl: " + u.getMessage());
      return ExitCodes.USAGE;
    }
    if (e instanceof Aimctl.CommandFailure f) {
      err.println("aimctl: " + f.getMessage());
      return f.exitCode();
    }
    if (!(e instanceof AimStoreException)) {
      Throwable cause = e.getCause() instanceof AimStoreException ? e.getCause() : null;
      if (cause == null) {
        err.println("aimctl: internal error: " + e);
        return ExitCodes.FAILED;
      }
      e = (AimStoreException) cause;
    }
    AimStoreException a = (AimStoreException) e;
    err.println("aimctl: " + a.getMessage());
    if (command instanceof CommandBase c && c.writes()) {
      err.println("aimctl: " + outcome(a, c.howToCheck()));
    }
    if (unreachable(a) && target != null) {
      err.println(
          "hint: no member of "
              + target.describe()
              + " answered in time; is the cluster up, with a quorum? ('aimctl status')");
    }
    return ExitCodes.FAILED;
  }

  /** The outcome line of a failed write. */
  static String outcome(AimStoreException a, String howToCheck) {
    return switch (a.outcome()) {
      case NOT_APPLIED -> "not applied: nothing changed (safe to run again)";
      case APPLIED -> "applied: the change took effect (do not run it again)";
      case UNKNOWN ->
          "outcome unknown: the change may or may not have been applied; check before running it"
              + " again"
              + (howToCheck == null ? "" : " (" + howToCheck + ")");
    };
  }

  /** No member answered at all: the client could not connect, or got no reply in time. */
  public static boolean unreachable(AimStoreException a) {
    String d = a.description();
    return (a.code() == AimStoreException.Code.UNAVAILABLE
            || a.code() == AimStoreException.Code.DEADLINE_EXCEEDED)
        && (d.startsWith("cannot reach ") || d.startsWith("no answer from "));
  }
}
