package io.aimstore.server.api;

import java.util.ServiceLoader;

/**
 * Test builds only: a way to break a member on purpose, so that the chaos suite can show that it
 * catches real faults (a linearizable read served stale, a write acknowledged before it commits).
 * The shipped server has no implementation: {@link #load} finds one only when a test puts its jar
 * on the member's class path (the chaos suite's process clusters do, through {@code
 * AIMSTORE_EXTRA_CLASSPATH}), and otherwise every path is the real one.
 */
public interface FaultInjection {
  /** No faults: the real read and write paths. */
  FaultInjection NONE = new FaultInjection() {};

  /** The read path the member's services use. */
  default Reads reads(Reads real) {
    return real;
  }

  /** The write path the member's services use. */
  default Writes writes(Writes real) {
    return real;
  }

  /** The implementation on the class path, or {@link #NONE}. */
  static FaultInjection load() {
    return ServiceLoader.load(FaultInjection.class).findFirst().orElse(NONE);
  }
}
