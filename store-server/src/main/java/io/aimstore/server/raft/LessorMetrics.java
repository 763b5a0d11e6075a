package io.aimstore.server.raft;

import io.aimstore.internal.RevokeReason;

/** Counts what the lessor does; the node backs it with Micrometer, tests with nothing. */
public interface LessorMetrics {
  LessorMetrics NONE = new LessorMetrics() {};

  default void granted() {}

  default void keptAlive() {}

  default void revoked(RevokeReason reason) {}
}
