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
 * Leases: a key or lock attached to a lease goes when the lease does. Most code wants a {@link
 * Session}, which grants a lease for this process and keeps it alive.
 */
public interface Leases {

  /** Grants a lease owned by this process (the client's name, this host and pid). */
  CompletableFuture<LeaseGrantResponse> grant(Duration ttl);

  CompletableFuture<LeaseGrantResponse> grant(LeaseGrantRequest request);

  CompletableFuture<LeaseRevokeResponse> revoke(long id);

  /** Records this process as the lease's owner (it will keep the lease alive from now on). */
  CompletableFuture<LeaseAdoptResponse> adopt(long id);

  CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long id, boolean withKeys);

  CompletableFuture<LeaseLeasesResponse> list(LeaseLeasesRequest request);

  /**
   * Renews one lease once. Completes with the response; its {@code ttl_ms} is 0 when the lease is
   * gone (expired or revoked).
   */
  CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(long id);

  /** Grants a lease and keeps it alive until the session is closed or lost. */
  Session session(SessionOptions options);
}
