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
 */
public interface Session extends AutoCloseable {

  enum State {
    CONNECTED,
    SUSPENDED,
    LOST,
    CLOSED
  }

  /** Told of every state change, on a client thread: return quickly. */
  interface Listener {
    void stateChanged(Session session, State from, State to);
  }

  long leaseId();

  Duration ttl();

  State state();

  void addListener(Listener listener);

  /** Completes when the session becomes LOST (or CLOSED). */
  CompletableFuture<State> ended();

  /**
   * Time until the lease's validity, as this process can vouch for it, runs out (zero when LOST).
   */
  Duration validFor();

  /** Stops keeping the lease alive and revokes it: its keys and locks go at once. */
  @Override
  void close();
}
