package io.aimstore.chaos.check;

/**
 * One broken lock guarantee.
 *
 * @param kind which one
 * @param lock the lock concerned
 * @param revision the revision of the offending write; 0 for {@link Kind#FINAL_COUNTER}
 * @param detail for people
 */
public record LockViolation(Kind kind, String lock, long revision, String detail) {

  /** The guarantees of fenced locks. */
  public enum Kind {
    /** An accepted write carries a smaller token than a write the store applied before it. */
    TOKEN_REGRESSION,
    /** Two different clients had writes accepted under the same token. */
    SHARED_TOKEN,
    /** An increment did not read the value the previous accepted increment wrote. */
    LOST_UPDATE,
    /** The final counter is not the number of accepted increments. */
    FINAL_COUNTER
  }

  @Override
  public String toString() {
    return kind + " lock " + lock + (revision > 0 ? " @" + revision : "") + ": " + detail;
  }
}
