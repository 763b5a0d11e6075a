package io.aimstore.bench.driver;

/**
 * Result of a compare-and-set.
 *
 * @param succeeded the expected version matched and the new value was written
 * @param newVersion the key's version after the write when it succeeded, else 0
 */
public record CasOutcome(boolean succeeded, long newVersion) {
  public static final CasOutcome CONFLICT = new CasOutcome(false, 0);
}
