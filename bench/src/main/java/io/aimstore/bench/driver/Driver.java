package io.aimstore.bench.driver;

import io.aimstore.bench.SystemKind;
import java.util.concurrent.CompletableFuture;

/**
 * One client of one system under test, used by every workload in the same way so that the systems
 * run the same workload definition.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Every operation is asynchronous: it sends the request and returns; the future completes
 *       when the system answered (exceptionally on any failure). A call may block briefly for the
 *       client library's own flow control, never for the round trip.
 *   <li>Thread-safe: workloads issue from one thread and complete on the client's threads.
 *   <li>Keys are flat paths under one namespace ({@code /bench/k000042}), valid as etcd keys and as
 *       ZooKeeper znodes; values are opaque bytes.
 *   <li>A version is the compare-and-set token of a key: the mod revision in aimstore and etcd, the
 *       data version in ZooKeeper. Only {@link #cas} interprets it.
 * </ul>
 *
 * <p>Later workloads (leases, locks, watches) add their primitives as separate interfaces that a
 * driver implements besides this one, so a workload can tell which systems support it natively and
 * nothing is emulated behind a common method.
 */
public interface Driver extends AutoCloseable {

  SystemKind system();

  /**
   * Makes {@code namespace} usable as the parent of the keys (ZooKeeper: creates the parent znode;
   * aimstore and etcd: nothing). Blocking; idempotent.
   */
  default void prepare(String namespace) throws Exception {}

  /** Creates or overwrites {@code key}; completes with its new version. */
  CompletableFuture<Long> put(String key, byte[] value);

  /** Reads {@code key}; a missing key completes with {@code Versioned(null, 0)}. */
  CompletableFuture<Versioned> get(String key, ReadConsistency consistency);

  /**
   * Writes {@code newValue} only if {@code key}'s version is still {@code expectedVersion}, in one
   * round trip: an etcd-style transaction (compare mod revision, then put) in aimstore and etcd,
   * {@code setData} with a version in ZooKeeper.
   */
  CompletableFuture<CasOutcome> cas(String key, long expectedVersion, byte[] newValue);

  /** Releases the connection. */
  @Override
  void close();
}
