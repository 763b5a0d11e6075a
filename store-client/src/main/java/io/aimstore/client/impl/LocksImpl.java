package io.aimstore.client.impl;

import io.aimstore.api.v1.AuditListRequest;
import io.aimstore.api.v1.AuditListResponse;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.LockAcquireRequest;
import io.aimstore.api.v1.LockAcquireResponse;
import io.aimstore.api.v1.LockGrpc;
import io.aimstore.api.v1.LockInspectRequest;
import io.aimstore.api.v1.LockInspectResponse;
import io.aimstore.api.v1.LockListRequest;
import io.aimstore.api.v1.LockListResponse;
import io.aimstore.api.v1.LockReleaseRequest;
import io.aimstore.api.v1.LockReleaseResponse;
import io.aimstore.api.v1.UnquarantineRequest;
import io.aimstore.api.v1.UnquarantineResponse;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.KV;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Locks;
import io.aimstore.client.Session;
import io.aimstore.client.Watch;
import io.aimstore.client.impl.Connection.Retry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** {@link Locks} over gRPC. Acquire is safe to repeat: the same lease gets the same claim back. */
public final class LocksImpl implements Locks {
  private final Connection conn;
  private final KV kv;
  private final Watch watch;

  public LocksImpl(Connection conn, KV kv, Watch watch) {
    this.conn = conn;
    this.kv = kv;
    this.watch = watch;
  }

  @Override
  public LockHandle acquire(String name, Session session, Duration wait) {
    LockAcquireResponse r = AimStoreClient.await(acquire(name, session.leaseId(), wait));
    return new LockHandleImpl(name, r.getToken(), r.getKey(), session, this, kv, watch);
  }

  @Override
  public CompletableFuture<LockAcquireResponse> acquire(String name, long lease, Duration wait) {
    LockAcquireRequest r =
        LockAcquireRequest.newBuilder()
            .setName(name)
            .setLease(lease)
            .setWaitTimeoutMs(wait.toMillis())
            .build();
    // One attempt may take the whole wait plus an ordinary attempt's time for the answer; a
    // retry on another member (only when this one was unreachable) gets the same again.
    Duration attempt = wait.plus(conn.attemptTimeout());
    return conn.call(
        ch -> Connection.unary(ch, LockGrpc.getAcquireMethod(), r),
        Retry.IF_UNAVAILABLE,
        attempt.multipliedBy(2),
        attempt);
  }

  @Override
  public CompletableFuture<LockReleaseResponse> release(String name, long token) {
    LockReleaseRequest r = LockReleaseRequest.newBuilder().setName(name).setToken(token).build();
    return conn.call(LockGrpc.getReleaseMethod(), r, Retry.IDEMPOTENT_AT_LEADER);
  }

  @Override
  public CompletableFuture<LockInspectResponse> inspect(String name) {
    LockInspectRequest r = LockInspectRequest.newBuilder().setName(name).build();
    return conn.call(LockGrpc.getInspectMethod(), r, Retry.IDEMPOTENT_AT_LEADER);
  }

  @Override
  public CompletableFuture<LockListResponse> list(String prefix) {
    LockListRequest r = LockListRequest.newBuilder().setPrefix(prefix).build();
    return conn.call(LockGrpc.getListMethod(), r, Retry.IDEMPOTENT_AT_LEADER);
  }

  @Override
  public CompletableFuture<ForceReleaseResponse> forceRelease(ForceReleaseRequest request) {
    return conn.call(LockGrpc.getForceReleaseMethod(), request, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<UnquarantineResponse> unquarantine(String name, String reason) {
    UnquarantineRequest r =
        UnquarantineRequest.newBuilder().setName(name).setReason(reason).build();
    return conn.call(LockGrpc.getUnquarantineMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<AuditListResponse> audit(long sinceMs) {
    AuditListRequest r = AuditListRequest.newBuilder().setSinceMs(sinceMs).build();
    return conn.call(LockGrpc.getAuditMethod(), r, Retry.IDEMPOTENT);
  }
}
