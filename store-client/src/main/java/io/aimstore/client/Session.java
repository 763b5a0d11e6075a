package io.aimstore.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A lease held by this process and kept alive in the background (every TTL/3), across member
 * failures. Locks and ephemeral keys attached to {@link #leaseId()} live exactly as long as it.
 *
 * <p>States (Curator's rules): {@link State#CONNECTED} — keep-alives are acknowledged; {@link
 * State#SUSPENDED} — the cluster cannot be reached right now and the lease may still be valid:
 * pause work that needs it; {@link State#LOST} — the lease is known gone, or its validity can no
 * longer be vouched for: stop at once, you hold nothing. The session judges validity
 * conservatively, on its own clock: a lease counts as valid until the <em>send</em> time of its
 * last acknowledged keep-alive plus the TTL the store returned (Chubby's rule), so the holder gives
 * up no later than the store takes the lease away. LOST is final.
 *
 * <p>Thread-safe. Listeners and {@link #ended()} run on a client thread.
 */
public interface Session extends AutoCloseable {

  /** Where the session stands; LOST and CLOSED are final. */
  enum State {
    /** Keep-alives are acknowledged. */
    CONNECTED,
    /** The cluster cannot be reached right now; the lease may still be valid. */
    SUSPENDED,
    /** The lease is gone, or can no longer be vouched for: you hold nothing. */
    LOST,
    /** {@link #close()} ended it (and revoked the lease). */
    CLOSED
  }

  /** Told of every state change, on a client thread: return quickly. */
  interface Listener {
    /** The session went from {@code from} to {@code to}. */
    void stateChanged(Session session, State from, State to);
  }

  /** The lease this session keeps alive. */
  long leaseId();

  /** The lease's TTL. */
  Duration ttl();

  /** The current state. */
  State state();

  /** Adds a listener for every later state change (thread-safe). */
  void addListener(Listener listener);

  /** Completes (on a client thread) when the session becomes LOST or CLOSED. */
  CompletableFuture<State> ended();

  /**
   * Time until the lease's validity, as this process can vouch for it, runs out (zero when LOST).
   */
  Duration validFor();

  /**
   * Stops keeping the lease alive and revokes it: its keys and locks go at once. Idempotent; blocks
   * up to a few seconds for the revoke, after which the lease still expires by its TTL.
   */
  @Override
  void close();
}
