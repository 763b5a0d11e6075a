package io.aimstore.chaos.run;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import java.nio.file.Path;

/**
 * The outcome of a chaos run, as its closing line says it.
 *
 * @param seed the seed that replays its schedule
 * @param ops operations checked: register operations plus fenced counter writes attempted
 * @param faults faults injected
 * @param linearizable the linearizability verdict; {@code null} if the run broke before checking
 * @param lost acknowledged writes lost
 * @param watchViolations broken watch guarantees
 * @param lockViolations broken lock guarantees
 * @param error what broke the run itself (no leader after the final restart, ...), or null
 * @param dir the run's directory (report, history, logs)
 */
public record RunResult(
    long seed,
    long ops,
    int faults,
    Verdict linearizable,
    int lost,
    int watchViolations,
    int lockViolations,
    String error,
    Path dir) {

  /** The result of a run whose evidence the checkers judged ({@code findings}). */
  public static RunResult checked(
      long seed, long ops, int faults, Evidence.Findings findings, Path dir) {
    return new RunResult(
        seed,
        ops,
        faults,
        findings.linearizability().verdict(),
        findings.lost().size(),
        findings.watch().size(),
        findings.lock().size(),
        null,
        dir);
  }

  /** Whether nothing was violated and the linearizability checker said yes. */
  public boolean passed() {
    return error == null
        && linearizable == Verdict.LINEARIZABLE
        && lost == 0
        && watchViolations == 0
        && lockViolations == 0;
  }

  /** Whether a checker found a violation (as opposed to running out of time or breaking). */
  public boolean violationFound() {
    return linearizable == Verdict.NOT_LINEARIZABLE
        || lost > 0
        || watchViolations > 0
        || lockViolations > 0;
  }

  /** 0 if it passed, 2 if the run itself broke, 1 for a violation or an unknown verdict. */
  public int exitCode() {
    return passed() ? 0 : error != null ? 2 : 1;
  }

  /** {@code yes}, {@code no} or {@code unknown}. */
  public String linearizableWord() {
    if (linearizable == null) {
      return "unknown";
    }
    return switch (linearizable) {
      case LINEARIZABLE -> "yes";
      case NOT_LINEARIZABLE -> "no";
      case UNKNOWN -> "unknown";
    };
  }

  /**
   * {@code chaos: ops=N faults=F linearizable=yes|no|unknown lost=0 watch_violations=0
   * lock_violations=0 seed=S}.
   */
  public String closingLine() {
    return "chaos: ops="
        + ops
        + " faults="
        + faults
        + " linearizable="
        + linearizableWord()
        + " lost="
        + lost
        + " watch_violations="
        + watchViolations
        + " lock_violations="
        + lockViolations
        + " seed="
        + seed;
  }
}
