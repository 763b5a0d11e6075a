package io.aimstore.client;

import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A held lock. Its {@link #token()} is a fencing token: writes made through the fenced helpers
 * carry it, and the store rejects them with FAILED_PRECONDITION once someone else holds the lock —
 * so a holder that lost the lock without knowing (paused, partitioned, force-released) cannot do
 * harm. Close it to release (try-with-resources).
 *
 * <p>The handle watches its own claim and follows its session: it turns LOST the moment the claim
 * is deleted (force-release, lease expiry) or the session is lost or closed. Thread-safe; {@link
 * #ended()} completes on a client thread.
 */
public interface LockHandle extends AutoCloseable {

  /** Where the handle stands. HELD changes once, to LOST or RELEASED, and never back. */
  enum State {
    /** This handle holds the lock (as far as it can tell: fence writes to be sure). */
    HELD,
    /** The session was lost or the lock was force-released: stop acting on it at once. */
    LOST,
    /** {@link #close()} released it. */
    RELEASED
  }

  /** The lock's name. */
  String name();

  /** The fencing token: this claim's create revision, greater than every earlier holder's. */
  long token();

  /** The current state. */
  State state();

  /** Completes (on a client thread) when the lock is LOST or RELEASED. */
  CompletableFuture<State> ended();

  /** The fence to put on a write that must apply only while this handle holds the lock. */
  default Fence fence() {
    return Fence.newBuilder().setLock(name()).setToken(token()).build();
  }

  /** A put that applies only while this handle's token still holds the lock. */
  CompletableFuture<PutResponse> put(PutRequest request);

  /** A fenced put of UTF-8 {@code value} to {@code key}. */
  default CompletableFuture<PutResponse> put(String key, String value) {
    return put(PutRequest.newBuilder().setKey(KV.utf8(key)).setValue(KV.utf8(value)).build());
  }

  /** A delete that applies only while this handle's token still holds the lock. */
  CompletableFuture<DeleteRangeResponse> delete(DeleteRangeRequest request);

  /** A transaction that runs only while this handle's token still holds the lock. */
  CompletableFuture<TxnResponse> txn(TxnRequest request);

  /**
   * Releases the lock (idempotent; nothing to do once LOST). Blocks up to a few seconds for the
   * release; if it cannot be confirmed, the lock still goes when the session's lease does.
   */
  @Override
  void close();
}
