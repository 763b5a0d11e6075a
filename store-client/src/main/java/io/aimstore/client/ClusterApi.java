package io.aimstore.client;

import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.api.v1.StatusResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Cluster status and membership. Every method returns at once; the future completes on a client
 * thread and fails with {@link AimStoreException} (UNAVAILABLE when no member answers within the
 * request timeout). Both calls are reads, retried on another member when one is unavailable.
 * Thread-safe.
 */
public interface ClusterApi {

  /**
   * Status of the answering member ({@code member} empty or null) or of the named member (asked
   * through the answering one): role, term, leader as it sees it, applied and commit index,
   * revision, size, version, and the member list.
   *
   * @throws AimStoreException (in the future) NOT_FOUND for an unknown member name; UNAVAILABLE
   *     when the named member does not answer
   */
  CompletableFuture<StatusResponse> status(String member);

  /** Every member with its addresses and role, as the answering member's configuration has it. */
  CompletableFuture<MemberListResponse> members();

  /**
   * Status of the member at {@code endpoint}, asked once and directly within {@code timeout}: no
   * failover, no retry (for probing members one by one; a refused connection fails at once).
   *
   * @param endpoint one of this client's endpoints
   * @throws IllegalArgumentException when {@code endpoint} is not one of them
   * @throws AimStoreException (in the future) UNAVAILABLE or DEADLINE_EXCEEDED naming the endpoint
   *     when it cannot be reached or does not answer in time
   */
  CompletableFuture<StatusResponse> statusAt(String endpoint, Duration timeout);
}
