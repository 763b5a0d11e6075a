package io.aimstore.chaos.history;

/** How a client operation ended, as far as its client knows. */
public enum Outcome {
  /** The store acknowledged it: it took effect once, between its invocation and completion. */
  OK,
  /** The store definitely did not apply it. */
  FAIL,
  /**
   * Indeterminate (timeout, lost connection, unknown error): it may have taken effect at any time
   * after its invocation, even after the client gave up, or never. Checkers treat its completion
   * time as +infinity and its output as unknown.
   */
  INFO
}
