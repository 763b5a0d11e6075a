package io.aimstore.client;

import io.aimstore.api.v1.LeaseAdoptResponse;
import io.aimstore.api.v1.LeaseGrantRequest;
import io.aimstore.api.v1.LeaseGrantResponse;
import io.aimstore.api.v1.LeaseKeepAliveResponse;
import io.aimstore.api.v1.LeaseLeasesRequest;
import io.aimstore.api.v1.LeaseLeasesResponse;
import io.aimstore.api.v1.LeaseRevokeResponse;
import io.aimstore.api.v1.LeaseTimeToLiveResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Leases: a key or lock attached to a lease goes, in one revision, when the lease expires or is
 * revoked. Expiry is decided by the leader and applied through the log: a lease whose keep-alives
 * stop goes no later than its TTL plus election time plus the expiry check interval. Each lease
 * records its owner (name, host, pid, process start, labels) for operators.
 *
 * <p>Most code wants a {@link Session}, which grants a lease for this process and keeps it alive.
 * The future-returning methods return at once; their futures complete on a client thread and fail
 * with {@link AimStoreException}. Thread-safe.
 */
public interface Leases {

  /**
   * Grants a lease of {@code ttl} (rounded up to whole seconds) owned by this process.
   *
   * @throws AimStoreException (in the future) INVALID_ARGUMENT when the TTL is outside the store's
   *     bounds (the message names them)
   */
  CompletableFuture<LeaseGrantResponse> grant(Duration ttl);

  /**
   * Grants a lease as the request says (TTL in seconds, owner required, optional id).
   *
   * @throws AimStoreException (in the future) INVALID_ARGUMENT for a TTL out of bounds or no owner;
   *     ALREADY_EXISTS when the requested id is taken
   */
  CompletableFuture<LeaseGrantResponse> grant(LeaseGrantRequest request);

  /**
   * Revokes a lease: its keys and locks go now, in one revision.
   *
   * @throws AimStoreException (in the future) NOT_FOUND when the lease is already gone
   */
  default CompletableFuture<LeaseRevokeResponse> revoke(long id) {
    return revoke(id, "");
  }

  /**
   * Revokes a lease, saying why: an admin's revoke of another identity's lease writes an audit
   * record with the reason.
   *
   * @throws AimStoreException (in the future) NOT_FOUND when the lease is already gone;
   *     PERMISSION_DENIED when it is another identity's and the caller is not an admin
   */
  CompletableFuture<LeaseRevokeResponse> revoke(long id, String reason);

  /**
   * Records this process as the lease's owner (it will keep the lease alive from now on).
   *
   * @throws AimStoreException (in the future) NOT_FOUND when the lease is gone
   */
  CompletableFuture<LeaseAdoptResponse> adopt(long id);

  /**
   * A lease's owner, TTL, remaining time as the leader counts it, last keep-alive and, when {@code
   * withKeys}, its keys.
   *
   * @throws AimStoreException (in the future) NOT_FOUND when the lease is gone
   */
  CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long id, boolean withKeys);

  /** One page of leases matching the request's owner filters; follow {@code next_after_id}. */
  CompletableFuture<LeaseLeasesResponse> list(LeaseLeasesRequest request);

  /**
   * Renews one lease once. Completes with the response; its {@code ttl_ms} is 0 when the lease is
   * gone (expired or revoked).
   */
  CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(long id);

  /**
   * Grants a lease (or adopts {@link SessionOptions#leaseId()}) and keeps it alive until the
   * session is closed or lost. Blocks until the lease is granted.
   *
   * @throws AimStoreException when the grant or adoption fails
   */
  Session session(SessionOptions options);
}
