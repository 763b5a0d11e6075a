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
 */
public interface LockHandle extends AutoCloseable {

  enum State {
    HELD,
    /** The session was lost or the lock was force-released: stop acting on it at once. */
    LOST,
    RELEASED
  }

  String name();

  long token();

  State state();

  /** Completes when the lock is LOST or RELEASED. */
  CompletableFuture<State> ended();

  default Fence fence() {
    return Fence.newBuilder().setLock(name()).setToken(token()).build();
  }

  /** A put that applies only while this handle's token still holds the lock. */
  CompletableFuture<PutResponse> put(PutRequest request);

  default CompletableFuture<PutResponse> put(String key, String value) {
    return put(PutRequest.newBuilder().setKey(KV.utf8(key)).setValue(KV.utf8(value)).build());
  }

  CompletableFuture<DeleteRangeResponse> delete(DeleteRangeRequest request);

  CompletableFuture<TxnResponse> txn(TxnRequest request);

  /** Releases the lock (idempotent). */
  @Override
  void close();
}
