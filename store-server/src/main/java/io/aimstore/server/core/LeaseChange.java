package io.aimstore.server.core;

/** What an applied entry did to leases: the leader's lessor tracks deadlines from these. */
public sealed interface LeaseChange {
  long id();

  /** A lease was granted. */
  record Granted(long id, long ttlSeconds) implements LeaseChange {}

  /** A lease is gone (revoked, expired or force-released); its keys were deleted. */
  record Revoked(long id) implements LeaseChange {}

  /**
   * The remaining TTL of a lease was recorded (or cleared when {@code remainingMs} is 0), so that
   * the next leader does not give it a full TTL again.
   */
  record Checkpointed(long id, long remainingMs) implements LeaseChange {}
}
