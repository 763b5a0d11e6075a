package io.aimstore.server.core;

import io.aimstore.internal.RevokeReason;

/** What an applied entry did to leases: the leader's lessor tracks deadlines from these. */
public sealed interface LeaseChange {
  long id();

  /** A lease was granted; {@code identity} owns it (empty: nobody in particular). */
  record Granted(long id, long ttlSeconds, String identity) implements LeaseChange {}

  /** A lease was adopted: {@code identity} owns it now. */
  record Adopted(long id, String identity) implements LeaseChange {}

  /** A lease is gone; its keys were deleted. {@code reason} is why it was revoked. */
  record Revoked(long id, RevokeReason reason) implements LeaseChange {}

  /**
   * The remaining TTL of a lease was recorded (or cleared when {@code remainingMs} is 0), so that
   * the next leader does not give it a full TTL again.
   */
  record Checkpointed(long id, long remainingMs) implements LeaseChange {}
}
