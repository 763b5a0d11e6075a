package io.aimstore.chaos.check;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.chaos.history.History;
import java.time.Duration;

/**
 * Checks that a history of reads, writes, deletes, compare-and-sets and transactions is
 * linearizable with respect to a key-value map whose keys are independent registers.
 *
 * <p>The history is split into independent parts ({@link History#splitByKey()}: one per key, or per
 * group of keys that transactions tie together), which is exact because linearizability is
 * compositional; each part is searched on its own (see {@link LinearizationSearch}).
 *
 * <p>Outcomes: {@code OK} operations took effect exactly once between invocation and completion;
 * {@code FAIL} operations never did; {@code INFO} operations may have taken effect at any time
 * after their invocation, or never.
 */
public final class LinearizabilityChecker {

  private LinearizabilityChecker() {}

  /**
   * Checks {@code history} within about {@code budget} of wall time. Parts found not linearizable
   * are all reported, even if the budget ran out on others.
   *
   * @return {@link Verdict#NOT_LINEARIZABLE} if some part is not linearizable, else {@link
   *     Verdict#UNKNOWN} if the budget ran out, else {@link Verdict#LINEARIZABLE}
   */
  public static LinearizabilityResult check(History history, Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    StringBuilder failures = new StringBuilder();
    StringBuilder unknown = new StringBuilder();
    int unchecked = 0;
    for (History part : history.splitByKey()) {
      if (System.nanoTime() - deadline > 0) {
        unchecked++;
        continue;
      }
      LinearizabilityResult result = new LinearizationSearch(part).run(deadline);
      switch (result.verdict()) {
        case NOT_LINEARIZABLE -> failures.append(result.explanation());
        case UNKNOWN -> unknown.append(result.explanation());
        case LINEARIZABLE -> {}
      }
    }
    if (unchecked > 0) {
      unknown.append(unchecked).append(" more parts not checked: out of time\n");
    }
    if (!failures.isEmpty()) {
      return new LinearizabilityResult(Verdict.NOT_LINEARIZABLE, failures + unknown.toString());
    }
    if (!unknown.isEmpty()) {
      return new LinearizabilityResult(Verdict.UNKNOWN, unknown.toString());
    }
    return new LinearizabilityResult(Verdict.LINEARIZABLE, "");
  }
}
