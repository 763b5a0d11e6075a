package io.aimstore.server.raft;

/** What the lock keeper counts; the node backs it with Micrometer, tests with nothing. */
public interface LockMetrics {
  LockMetrics NONE = new LockMetrics() {};

  /** A lock was granted to an acquisition after waiting {@code waitNanos} (queueing included). */
  default void granted(long waitNanos) {}

  /** An operator force-released a lock. */
  default void forceReleased() {}

  /** A write was refused because its fencing token no longer held its lock. */
  default void staleFenceRejected() {}
}
