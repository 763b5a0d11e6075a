package io.aimstore.bench.driver;

/** How a read is served. */
public enum ReadConsistency {
  /**
   * Reflects every write acknowledged before the read started. aimstore: ReadIndex; etcd: its
   * default (quorum) read; ZooKeeper: {@code sync} then {@code getData} on the same session, which
   * is ZooKeeper's documented way to read the latest committed state.
   */
  LINEARIZABLE,
  /** Served from the answering member's local state, possibly stale. */
  SERIALIZABLE
}
