package io.aimstore.client;

import io.aimstore.api.v1.MemberAddRequest;
import io.aimstore.api.v1.MemberChangeResponse;
import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.api.v1.StatusResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Cluster status and membership. Every method returns at once; the future completes on a client
 * thread and fails with {@link AimStoreException} (UNAVAILABLE when no member answers within the
 * request timeout). The reads are retried on another member when one is unavailable; membership
 * changes (admin only, each audited with its reason) only when the store certainly did not act.
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
   * The leader's member list: every member's role with its match index, lag and last contact as the
   * leader knows them (asked through the answering member).
   */
  CompletableFuture<MemberListResponse> membersFromLeader();

  /**
   * Adds a member as a listener; the leader promotes it to voter once it has caught up unless
   * {@code manual_promote} is set. The new member must be running (started with {@code join =
   * true}) before it is added.
   *
   * @throws AimStoreException (in the future) PERMISSION_DENIED for a non-admin; ALREADY_EXISTS if
   *     the name is in the configuration; INVALID_ARGUMENT for a bad name, address or no reason;
   *     FAILED_PRECONDITION when the new member does not answer or catch up; ABORTED while another
   *     membership change is in progress
   */
  CompletableFuture<MemberChangeResponse> addMember(MemberAddRequest request);

  /** Removes a member (voter, listener or pending). Not the leader: transfer leadership first. */
  CompletableFuture<MemberChangeResponse> removeMember(String name, String reason);

  /** Makes a caught-up listener a voter. */
  CompletableFuture<MemberChangeResponse> promoteMember(String name, String reason);

  /** Makes voter {@code name} the leader. */
  CompletableFuture<MemberChangeResponse> transferLeadership(String name, String reason);

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
