package io.aimstore.chaos.check;

/**
 * What the linearizability checker concluded.
 *
 * @param verdict the conclusion
 * @param explanation for people: for {@link Verdict#NOT_LINEARIZABLE}, per failing part of the
 *     history its keys, the longest linearizable prefix found and the operations that could not be
 *     placed after it; for {@link Verdict#UNKNOWN}, what was left unchecked
 */
public record LinearizabilityResult(Verdict verdict, String explanation) {

  /** The possible conclusions. */
  public enum Verdict {
    /** Some order of the operations is legal for the model and respects real time. */
    LINEARIZABLE,
    /** No such order exists; this is a bug (in the store, or in the recording of the history). */
    NOT_LINEARIZABLE,
    /** The time budget ran out first; says nothing either way. */
    UNKNOWN
  }
}
