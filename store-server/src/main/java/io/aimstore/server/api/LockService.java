package io.aimstore.server.api;

import io.aimstore.api.v1.AuditListRequest;
import io.aimstore.api.v1.AuditListResponse;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.LockAcquireRequest;
import io.aimstore.api.v1.LockAcquireResponse;
import io.aimstore.api.v1.LockGrpc;
import io.aimstore.api.v1.LockInfo;
import io.aimstore.api.v1.LockInspectRequest;
import io.aimstore.api.v1.LockInspectResponse;
import io.aimstore.api.v1.LockListRequest;
import io.aimstore.api.v1.LockListResponse;
import io.aimstore.api.v1.LockReleaseRequest;
import io.aimstore.api.v1.LockReleaseResponse;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.UnquarantineRequest;
import io.aimstore.api.v1.UnquarantineResponse;
import io.aimstore.internal.LockAcquire;
import io.aimstore.server.core.Access;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.LockKeeper;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Lock API: a thin adapter. Acquisition and release go through the {@link LockKeeper}; views
 * that show keep-alive ages come from the leader (other members forward them).
 */
public final class LockService extends LockGrpc.LockImplBase {
  private static final int MAX_AUDIT_RECORDS = 10_000;

  private final Calls calls;
  private final LockKeeper keeper;
  private final Duration maxQuarantine;

  /**
   * @param maxQuarantine the longest quarantine a force-release may ask for
   */
  public LockService(Calls calls, LockKeeper keeper, Duration maxQuarantine) {
    this.calls = calls;
    this.keeper = keeper;
    this.maxQuarantine = maxQuarantine;
  }

  @Override
  public void acquire(LockAcquireRequest req, StreamObserver<LockAcquireResponse> obs) {
    CompletableFuture<LockAcquireResponse> result = new CompletableFuture<>();
    if (obs instanceof ServerCallStreamObserver<LockAcquireResponse> call) {
      call.setOnCancelHandler(() -> result.cancel(false));
    }
    Replies.send(result, obs);
    if (req.getWaitTimeoutMs() < 0) {
      result.completeExceptionally(
          StoreException.invalid("wait_timeout_ms must be >= 0, got " + req.getWaitTimeoutMs()));
      return;
    }
    // the client may retry on another member after giving up a call: the same lease then gets the
    // same claim back, so a cancelled wait keeps it
    acquire(
        LockAcquire.newBuilder().setName(req.getName()).setLease(req.getLease()).build(),
        req.getWaitTimeoutMs(),
        false,
        result);
  }

  /**
   * Checks {@code claim} and the caller's LOCK permission, then has the {@link LockKeeper} queue it
   * and complete {@code result} once it holds the lock (see {@link LockKeeper#acquire}); cancelling
   * {@code result} stops the wait, and the claim leaves the queue if {@code leaveQueueOnCancel}.
   * The one path to a lock, for aimstore's Lock API and etcd's lock and election APIs alike. Call
   * it in the handler, where the caller's identity is known.
   */
  public void acquire(
      LockAcquire claim,
      long waitMs,
      boolean leaveQueueOnCancel,
      CompletableFuture<LockAcquireResponse> result) {
    CompletableFuture<LockKeeper.Grant> grant;
    try {
      calls.validator().checkLockAcquire(claim);
      Access a = calls.guard().access();
      a.requireName(Permission.LOCK, "take lock", claim.getName());
      calls.guard().checkQuota(io.aimstore.internal.Command.newBuilder().setLockAcquire(claim));
      grant =
          keeper.acquire(
              claim,
              waitMs,
              leaveQueueOnCancel ? LockKeeper.OnCancel.LEAVE_QUEUE : LockKeeper.OnCancel.KEEP_CLAIM,
              a.identity());
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    result.whenComplete(
        (v, e) -> {
          if (result.isCancelled()) {
            grant.cancel(false);
          }
        });
    grant.whenComplete(
        (g, e) -> {
          if (e != null) {
            result.completeExceptionally(e);
          } else {
            result.complete(
                LockAcquireResponse.newBuilder()
                    .setHeader(calls.headers().at(g.revision()))
                    .setKey(g.key())
                    .setToken(g.token())
                    .build());
          }
        });
  }

  @Override
  public void release(LockReleaseRequest req, StreamObserver<LockReleaseResponse> obs) {
    Replies.run(
        () -> {
          calls.validator().checkLockName(req.getName());
          Access a = calls.guard().access();
          a.requireName(Permission.LOCK, "release lock", req.getName());
          return keeper
              .release(req.getName(), req.getToken(), a.identity())
              .thenApply(calls.headers()::completeHeaderOf);
        },
        obs);
  }

  @Override
  public void forceRelease(ForceReleaseRequest req, StreamObserver<ForceReleaseResponse> obs) {
    Replies.run(
        () -> {
          calls.validator().checkForceRelease(req);
          if (req.getQuarantineMs() > maxQuarantine.toMillis()) {
            throw StoreException.invalid(
                "a quarantine of "
                    + Durations.human(req.getQuarantineMs())
                    + " is longer than this cluster's maximum of "
                    + Durations.human(maxQuarantine.toMillis())
                    + " (max-quarantine); ask for less, and lift one early with 'aimctl lock"
                    + " unquarantine'");
          }
          Access a = calls.guard().access();
          a.requireAdmin("force-release lock " + req.getName());
          return keeper
              .forceRelease(req, a.identity())
              .thenApply(calls.headers()::completeHeaderOf);
        },
        obs);
  }

  @Override
  public void unquarantine(UnquarantineRequest req, StreamObserver<UnquarantineResponse> obs) {
    Replies.run(
        () -> {
          calls.validator().checkLockName(req.getName());
          Access a = calls.guard().access();
          a.requireAdmin("lift the quarantine of lock " + req.getName());
          return keeper
              .unquarantine(req, a.identity())
              .thenApply(calls.headers()::completeHeaderOf);
        },
        obs);
  }

  @Override
  public void inspect(LockInspectRequest req, StreamObserver<LockInspectResponse> obs) {
    if (calls
        .router()
        .forwardedUnlessLeader(
            obs,
            ch -> LockGrpc.newStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).inspect(req, obs))) {
      return;
    }
    calls.read(
        obs,
        () -> {
          calls.validator().checkLockName(req.getName());
          calls.guard().access().requireName(Permission.LOCK, "see lock", req.getName());
        },
        store -> {
          Store.LockState st = store.lock(req.getName());
          LockInfo info =
              st == null
                  ? LockInfo.newBuilder().setName(req.getName()).build()
                  : keeper.describe(store, st);
          return LockInspectResponse.newBuilder().setLock(info).build();
        });
  }

  @Override
  public void list(LockListRequest req, StreamObserver<LockListResponse> obs) {
    if (calls
        .router()
        .forwardedUnlessLeader(
            obs,
            ch -> LockGrpc.newStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).list(req, obs))) {
      return;
    }
    calls.read(
        obs,
        () ->
            calls
                .guard()
                .access()
                .requireName(Permission.LOCK, "list the locks under", req.getPrefix()),
        store -> {
          LockListResponse.Builder b = LockListResponse.newBuilder();
          for (Store.LockState st : store.locks(req.getPrefix())) {
            b.addLocks(keeper.describe(store, st));
          }
          return b.build();
        });
  }

  @Override
  public void audit(AuditListRequest req, StreamObserver<AuditListResponse> obs) {
    calls.read(
        obs,
        () -> calls.guard().access().requireAdmin("read the audit log"),
        store ->
            AuditListResponse.newBuilder()
                .addAllRecords(store.audit(req.getSinceMs(), MAX_AUDIT_RECORDS))
                .build());
  }
}
