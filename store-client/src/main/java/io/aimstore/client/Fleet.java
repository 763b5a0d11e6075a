package io.aimstore.client;

import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.ConfigGetResponse;
import io.aimstore.api.v1.ConfigHistoryResponse;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.ConfigPutResponse;
import io.aimstore.api.v1.ConfigValidateResponse;
import io.aimstore.api.v1.DroneReport;
import io.aimstore.api.v1.DroneReportResponse;
import io.aimstore.api.v1.FleetStatusResponse;
import io.aimstore.api.v1.RolloutRequest;
import io.aimstore.api.v1.RolloutResponse;
import io.aimstore.api.v1.RolloutStartRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Aim configs, staged rollouts and the fleet hold point ({@code aim.proto}). Configs live under
 * {@code /aim/FLEET/configs/NAME}; a config's versions are the revisions that wrote it.
 *
 * <p>Every method returns at once; the future completes on a client thread (do not block in its
 * callbacks) and fails with {@link AimStoreException}. Reads are retried on another member when one
 * is unavailable; writes only when they certainly did not apply ({@link
 * AimStoreException#outcome()}). Changes to a rollout must carry the fleet's config-lock fence
 * ({@code aim/FLEET/config}): take the lock with {@link Locks#acquire(String, Session,
 * java.time.Duration)} and pass {@link LockHandle#fence()}. Thread-safe.
 */
public interface Fleet {

  /**
   * Writes a config; it is validated first and refused whole if any rule is broken.
   *
   * @return the new version (the revision of the write)
   * @throws AimStoreException (in the future) INVALID_ARGUMENT listing every broken rule;
   *     FAILED_PRECONDITION when the request's fence no longer holds its lock
   */
  CompletableFuture<ConfigPutResponse> putConfig(ConfigPutRequest request);

  /**
   * Reads config {@code name} of {@code fleet}: the latest ({@code version} 0) or a past version.
   *
   * @throws AimStoreException (in the future) NOT_FOUND for an unknown config or version;
   *     OUT_OF_RANGE when the version was compacted
   */
  CompletableFuture<ConfigGetResponse> getConfig(String fleet, String name, long version);

  /** Checks a config against the rules without writing anything; the answer lists every break. */
  CompletableFuture<ConfigValidateResponse> validate(AimConfig config);

  /** Every retained version of a config, newest first. */
  CompletableFuture<ConfigHistoryResponse> history(String fleet, String name);

  /**
   * Starts rolling a config version out to the fleet in stages.
   *
   * @throws AimStoreException (in the future) FAILED_PRECONDITION when the fence does not hold the
   *     fleet's config lock, a rollout is already running, or the fleet is on hold; NOT_FOUND for
   *     an unknown config; INVALID_ARGUMENT for a bad stage plan
   */
  CompletableFuture<RolloutResponse> start(RolloutStartRequest request);

  /**
   * The fleet's current or last rollout.
   *
   * @throws AimStoreException (in the future) NOT_FOUND when the fleet never had one
   */
  CompletableFuture<RolloutResponse> status(String fleet);

  /**
   * Moves the rollout to its next stage; every drone of the current stage must have applied it.
   *
   * @throws AimStoreException (in the future) FAILED_PRECONDITION when the fence does not hold the
   *     config lock, the fleet is on hold, or the rollout's state does not allow it
   */
  CompletableFuture<RolloutResponse> promote(RolloutRequest request);

  /** Stops advancing the rollout (drones keep what they have). Same failures as promote. */
  CompletableFuture<RolloutResponse> pause(RolloutRequest request);

  /** Continues a paused rollout. Same failures as promote. */
  CompletableFuture<RolloutResponse> resume(RolloutRequest request);

  /**
   * Gives every drone that took the rollout's version its previous config back. Same failures as
   * promote.
   */
  CompletableFuture<RolloutResponse> rollback(RolloutRequest request);

  /**
   * A drone reports that it applied or refused a version; a refusal halts a running rollout.
   * Idempotent: the latest report of a drone wins.
   */
  CompletableFuture<DroneReportResponse> report(String fleet, DroneReport report);

  /**
   * Puts the fleet on hold: drones keep their config and no rollout starts, advances or rolls back
   * until {@link #release}. Holding a fleet that is on hold replaces the reason. The store records
   * the caller's verified identity as the operator, and audits the hold.
   *
   * @throws AimStoreException (in the future) INVALID_ARGUMENT without a reason
   */
  CompletableFuture<RolloutResponse> hold(String fleet, String reason);

  /**
   * Lifts the fleet's hold.
   *
   * @throws AimStoreException (in the future) FAILED_PRECONDITION when the fleet is not on hold
   *     (check {@link #fleetStatus} to tell "already released" from an error)
   */
  CompletableFuture<RolloutResponse> release(String fleet);

  /** Every drone of the fleet (alive?, applied and target versions, last report), hold, rollout. */
  CompletableFuture<FleetStatusResponse> fleetStatus(String fleet);
}
