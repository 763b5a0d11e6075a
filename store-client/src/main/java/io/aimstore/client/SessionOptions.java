package io.aimstore.client;

import java.time.Duration;

/**
 * How a {@link Session} behaves.
 *
 * @param ttl lease time to live: how long after this process stops keeping alive (crash, pause,
 *     partition) its keys and locks go
 * @param leaseId an existing lease to keep alive (adopting it), or 0 to grant a new one
 */
public record SessionOptions(Duration ttl, long leaseId) {
  /** A new lease of 10 s. */
  public static final SessionOptions DEFAULT = new SessionOptions(Duration.ofSeconds(10), 0);

  /** A new lease of {@code ttl}. */
  public static SessionOptions ttl(Duration ttl) {
    return new SessionOptions(ttl, 0);
  }

  /** Keep an existing lease alive instead of granting one. */
  public SessionOptions withLease(long id) {
    return new SessionOptions(ttl, id);
  }
}
