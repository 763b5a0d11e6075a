package io.aimstore.server.api.etcd;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.LockAcquireResponse;
import io.aimstore.etcd.api.lock.LockGrpc;
import io.aimstore.etcd.api.lock.LockRequest;
import io.aimstore.etcd.api.lock.LockResponse;
import io.aimstore.etcd.api.lock.UnlockRequest;
import io.aimstore.etcd.api.lock.UnlockResponse;
import io.aimstore.internal.LockAcquire;
import io.aimstore.server.api.KvService;
import io.aimstore.server.api.LockService;
import io.aimstore.server.core.StoreException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's server-side lock service (v3lock), served by aimstore's {@link LockService}: Lock queues a
 * claim in etcd's layout, {@code name/<lease in hex>} on the caller's lease, and waits until it
 * holds aimstore lock {@code name}; the key's create revision is the fencing token. Unlock deletes
 * the key, as etcd does, through aimstore's KV path.
 */
final class EtcdLockService extends LockGrpc.LockImplBase {
  private final LockService locks;
  private final KvService kv;

  EtcdLockService(LockService locks, KvService kv) {
    this.locks = locks;
    this.kv = kv;
  }

  @Override
  public void lock(LockRequest req, StreamObserver<LockResponse> obs) {
    CompletableFuture<LockAcquireResponse> held = new CompletableFuture<>();
    Relay.send(
        held.thenApply(
            r ->
                LockResponse.newBuilder()
                    .setHeader(EtcdMessages.header(r.getHeader()))
                    .setKey(r.getKey())
                    .build()),
        obs);
    claim(req.getName(), req.getLease(), ByteString.EMPTY, obs, locks, held);
  }

  /**
   * Queues an etcd-style claim and waits, until the etcd call is cancelled, for it to hold the
   * lock; a cancelled wait leaves the queue (etcd deletes its key then too).
   */
  static void claim(
      ByteString name,
      long lease,
      ByteString value,
      StreamObserver<?> call,
      LockService locks,
      CompletableFuture<LockAcquireResponse> held) {
    if (call instanceof ServerCallStreamObserver<?> c) {
      c.setOnCancelHandler(() -> held.cancel(false));
    }
    if (!name.isValidUtf8()) {
      held.completeExceptionally(StoreException.invalid("a lock or election name must be UTF-8"));
      return;
    }
    locks.acquire(
        LockAcquire.newBuilder()
            .setName(name.toStringUtf8())
            .setLease(lease)
            .setStyle(LockAcquire.Style.ETCD)
            .setValue(value)
            .build(),
        -1,
        true, // etcd deletes its key when a lock call is cancelled
        held);
  }

  @Override
  public void unlock(UnlockRequest req, StreamObserver<UnlockResponse> obs) {
    kv.deleteRange(
        io.aimstore.api.v1.DeleteRangeRequest.newBuilder().setKey(req.getKey()).build(),
        Relay.to(
            obs,
            r ->
                UnlockResponse.newBuilder().setHeader(EtcdMessages.header(r.getHeader())).build()));
  }
}
