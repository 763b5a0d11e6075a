package io.aimstore.client;

import io.aimstore.api.v1.AlarmDisarmResponse;
import io.aimstore.api.v1.AlarmListResponse;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.api.v1.HashKVResponse;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Backups of the whole store and keyspace hashes for corruption checks (admins only), and the
 * cluster's alarms (NOSPACE, CORRUPT: docs/operations.md#full-disk). Thread-safe.
 *
 * <p>What {@link #snapshot} writes is a snapshot file ({@code io.aimstore.api.SnapshotFile}):
 * verify it with {@code SnapshotFile.verify} before keeping it; {@code aimstore restore} seeds a
 * new cluster from it.
 */
public interface Maintenance {

  /** Told how a download goes, on the download's thread after every message. */
  @FunctionalInterface
  interface Progress {
    /** {@code received} bytes so far, of {@code total} (0 until the member says). */
    void update(long received, long total);
  }

  /**
   * Streams a consistent point-in-time snapshot of the store from one member into {@code out}
   * (which it does not close), on a thread of its own; completes with the number of bytes written.
   * The member that answers takes a Raft snapshot holding every write acknowledged before the call
   * and writes an audit record of the save. A member that is unavailable before sending anything is
   * skipped for the next endpoint; a failure after the first bytes fails the call, and what was
   * written to {@code out} is to be thrown away.
   *
   * @param limit how long the whole download may take
   * @throws AimStoreException (in the future) PERMISSION_DENIED unless the caller is an admin;
   *     RESOURCE_EXHAUSTED when a snapshot already streams from that member; DEADLINE_EXCEEDED past
   *     {@code limit}
   */
  CompletableFuture<Long> snapshot(OutputStream out, Progress progress, Duration limit);

  /**
   * The keyspace hash of the member at {@code endpoint} (asked once and directly, no failover: the
   * point is to compare members), as of {@code revision} (0: the member's current revision).
   * Members that applied the same log and report the same compact revision have the same hash.
   *
   * @param endpoint one of this client's endpoints
   * @throws IllegalArgumentException when {@code endpoint} is not one of them
   * @throws AimStoreException (in the future) PERMISSION_DENIED unless the caller is an admin;
   *     OUT_OF_RANGE when that member compacted {@code revision} away or has not applied it yet
   */
  CompletableFuture<HashKVResponse> hashAt(String endpoint, long revision, Duration timeout);

  /** The cluster's active alarms (linearizable; retried on another member when one is down). */
  CompletableFuture<AlarmListResponse> alarms();

  /**
   * Clears alarms by hand (admins only, audited with {@code reason}): of {@code type} ({@code
   * ALARM_NONE} for every type) on {@code member} (empty or null for every member). A member still
   * over its quota raises NOSPACE again at its next check (about a second).
   *
   * @throws AimStoreException (in the future) PERMISSION_DENIED for a non-admin; INVALID_ARGUMENT
   *     without a reason
   */
  CompletableFuture<AlarmDisarmResponse> disarm(AlarmType type, String member, String reason);
}
