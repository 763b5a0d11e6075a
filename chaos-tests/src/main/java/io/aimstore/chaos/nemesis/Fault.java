package io.aimstore.chaos.nemesis;

import java.util.List;

/**
 * One fault the nemesis injected.
 *
 * @param kind what it was
 * @param targets the members it hit (empty for faults on links only)
 * @param detail more, e.g. the delayed links and their delay
 * @param startMs when it began, in ms since the run started
 * @param healedMs when it was healed, in ms since the run started
 * @param recoveredMs how long after healing every member answered and agreed on a leader; -1 if
 *     that did not happen within the wait
 * @param error what went wrong injecting or healing it, or empty
 */
public record Fault(
    FaultKind kind,
    List<Integer> targets,
    String detail,
    long startMs,
    long healedMs,
    long recoveredMs,
    String error) {

  @Override
  public String toString() {
    return kind.label()
        + (targets.isEmpty() ? "" : " " + targets.stream().map(t -> "n" + t).toList())
        + (detail.isEmpty() ? "" : " " + detail);
  }
}
