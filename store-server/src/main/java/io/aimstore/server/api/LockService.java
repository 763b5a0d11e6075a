package io.aimstore.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.AuditListRequest;
import io.aimstore.api.v1.AuditListResponse;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.LockAcquireRequest;
import io.aimstore.api.v1.LockAcquireResponse;
import io.aimstore.api.v1.LockClaim;
import io.aimstore.api.v1.LockGrpc;
import io.aimstore.api.v1.LockInfo;
import io.aimstore.api.v1.LockInspectRequest;
import io.aimstore.api.v1.LockInspectResponse;
import io.aimstore.api.v1.LockListRequest;
import io.aimstore.api.v1.LockListResponse;
import io.aimstore.api.v1.LockReleaseRequest;
import io.aimstore.api.v1.LockReleaseResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.LockAcquire;
import io.aimstore.internal.LockAcquireResult;
import io.aimstore.internal.LockForceRelease;
import io.aimstore.internal.LockRelease;
import io.aimstore.server.core.RequestValidator;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.Lessor;
import io.aimstore.server.raft.RaftNode;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Lock API. Acquiring queues a claim through the log and then waits, on this member, until the
 * claim holds the lock; views that show keep-alive ages come from the leader.
 */
public final class LockService extends LockGrpc.LockImplBase {
  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  private final RaftNode raft;
  private final Writes writes;
  private final RequestValidator validator;
  private final Headers headers;
  private final Lessor lessor;
  private final LeaderRouter router;
  private final LockWaiters waiters;
  private final Reads reads;
  private final Counter acquisitions;
  private final Counter forceReleases;
  private final Timer waitTime;

  public LockService(
      RaftNode raft,
      Writes writes,
      RequestValidator validator,
      Headers headers,
      Lessor lessor,
      LeaderRouter router,
      LockWaiters waiters,
      Reads reads,
      MeterRegistry registry) {
    this.raft = raft;
    this.writes = writes;
    this.validator = validator;
    this.headers = headers;
    this.lessor = lessor;
    this.router = router;
    this.waiters = waiters;
    this.reads = reads;
    this.acquisitions =
        Counter.builder("aimstore.lock.acquisitions")
            .description("locks granted through this member")
            .register(registry);
    this.forceReleases =
        Counter.builder("aimstore.lock.force.releases")
            .description("locks force-released through this member")
            .register(registry);
    this.waitTime =
        Timer.builder("aimstore.lock.wait")
            .description("time from an acquire request to the grant")
            .publishPercentileHistogram()
            .register(registry);
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
    // The client may retry elsewhere after giving up on a call: the same lease then gets this same
    // claim back, so a cancelled wait keeps it.
    acquire(
        LockAcquire.newBuilder().setName(req.getName()).setLease(req.getLease()).build(),
        req.getWaitTimeoutMs(),
        OnCancel.KEEP_CLAIM,
        result);
  }

  /** What becomes of a queued claim when its caller cancels the wait. */
  public enum OnCancel {
    KEEP_CLAIM,
    LEAVE_QUEUE
  }

  /**
   * Validates {@code claim}, queues it through the log and completes {@code result} once it holds
   * the lock on this member's state. Fails with ABORTED if the claim goes while waiting (its lease
   * ended, or it was released). Cancelling {@code result} stops the wait.
   *
   * @param waitMs how long to wait in the queue: 0 does not wait (FAILED_PRECONDITION when held), a
   *     negative value waits until {@code result} is cancelled; when it runs out the claim leaves
   *     the queue and the call fails with DEADLINE_EXCEEDED naming the holder
   */
  public void acquire(
      LockAcquire claim,
      long waitMs,
      OnCancel onCancel,
      CompletableFuture<LockAcquireResponse> result) {
    long start = System.nanoTime();
    try {
      validator.checkLockAcquire(claim);
    } catch (StoreException e) {
      result.completeExceptionally(e);
      return;
    }
    writes
        .submitAndApplyLocally(Command.newBuilder().setLockAcquire(claim))
        .whenCompleteAsync(
            (r, err) -> {
              if (err != null) {
                result.completeExceptionally(err);
                return;
              }
              LockAcquireResult queued = r.getLockAcquire();
              CompletableFuture<Void> granted =
                  waiters.await(claim.getName(), queued.getToken(), claim.getLease());
              result.whenComplete(
                  (v, e) -> {
                    if (e != null) {
                      granted.cancel(false);
                    }
                  });
              CompletableFuture<Void> bounded =
                  waitMs < 0
                      ? granted
                      : granted.orTimeout(Math.max(1, waitMs), TimeUnit.MILLISECONDS);
              bounded.whenComplete(
                  (v, e) -> {
                    if (e == null) {
                      acquisitions.increment();
                      waitTime.record(Duration.ofNanos(System.nanoTime() - start));
                      result.complete(
                          LockAcquireResponse.newBuilder()
                              .setHeader(headers.at(r.getRevision()))
                              .setKey(queued.getKey())
                              .setToken(queued.getToken())
                              .build());
                      return;
                    }
                    Throwable cause =
                        e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (result.isCancelled()) {
                      if (onCancel == OnCancel.LEAVE_QUEUE) {
                        leaveQueue(claim.getName(), queued.getToken(), 3);
                      }
                      return;
                    }
                    if (cause instanceof TimeoutException) {
                      giveUp(claim.getName(), queued.getToken(), waitMs, result);
                    } else {
                      result.completeExceptionally(cause);
                    }
                  });
            },
            reads.pool()); // off the apply thread: waiters look at the store
  }

  /** The wait ran out: leave the queue, then say who holds the lock. */
  private void giveUp(
      String name, long token, long waitMs, CompletableFuture<LockAcquireResponse> result) {
    leaveQueue(name, token, 3)
        .thenRun(
            () -> {
              String holder = describeHolder(name);
              Status s =
                  waitMs == 0
                      ? Status.FAILED_PRECONDITION.withDescription(
                          "lock " + name + " is held" + holder)
                      : Status.DEADLINE_EXCEEDED.withDescription(
                          "gave up after " + waitMs + " ms waiting for lock " + name + holder);
              result.completeExceptionally(s.asRuntimeException());
            });
  }

  /**
   * Releases a claim whose wait ran out, trying again when the outcome is unknown: a claim left
   * behind would be granted later to a caller who was told it timed out.
   */
  private CompletableFuture<Void> leaveQueue(String name, long token, int attempts) {
    return writes
        .submit(
            Command.newBuilder()
                .setLockRelease(LockRelease.newBuilder().setName(name).setToken(token)))
        .handle((r, e) -> e)
        .thenCompose(
            e -> {
              if (e == null
                  || attempts <= 1
                  || GrpcErrors.toStatus(e).getStatus().getCode() != Status.Code.UNAVAILABLE) {
                return CompletableFuture.<Void>completedFuture(null);
              }
              return leaveQueue(name, token, attempts - 1);
            });
  }

  private String describeHolder(String name) {
    try {
      return raft.stateMachine()
          .read(
              store -> {
                Store.LockState st = store.lock(name);
                if (st == null || st.record().getHolderToken() == 0) {
                  return st != null && st.record().getQuarantinedUntilMs() > 0
                      ? " (quarantined until "
                          + java.time.Instant.ofEpochMilli(st.record().getQuarantinedUntilMs())
                          + ")"
                      : "";
                }
                LeaseRecord lease = store.lease(st.record().getHolderLease());
                String who =
                    lease == null
                        ? "lease " + st.record().getHolderLease()
                        : lease.getOwner().getName()
                            + " on "
                            + lease.getOwner().getHost()
                            + " pid "
                            + lease.getOwner().getPid();
                return " by token "
                    + st.record().getHolderToken()
                    + " ("
                    + who
                    + "); see 'aimctl lock show "
                    + name
                    + "'";
              });
    } catch (RuntimeException e) {
      return "";
    }
  }

  @Override
  public void release(LockReleaseRequest req, StreamObserver<LockReleaseResponse> obs) {
    Replies.run(
        () -> {
          validator.checkLockName(req.getName());
          return writes
              .submit(
                  Command.newBuilder()
                      .setLockRelease(
                          LockRelease.newBuilder().setName(req.getName()).setToken(req.getToken())))
              .thenApply(
                  r ->
                      r.getLockRelease().toBuilder()
                          .setHeader(headers.complete(r.getLockRelease().getHeader()))
                          .build());
        },
        obs);
  }

  @Override
  public void forceRelease(ForceReleaseRequest req, StreamObserver<ForceReleaseResponse> obs) {
    Replies.run(
        () -> {
          validator.checkForceRelease(req);
          return writes
              .submit(
                  Command.newBuilder()
                      .setLockForceRelease(LockForceRelease.newBuilder().setRequest(req)))
              .thenApply(
                  r -> {
                    forceReleases.increment();
                    return r.getLockForceRelease().toBuilder()
                        .setHeader(headers.complete(r.getLockForceRelease().getHeader()))
                        .build();
                  });
        },
        obs);
  }

  @Override
  public void inspect(LockInspectRequest req, StreamObserver<LockInspectResponse> obs) {
    if (!router.isLeader()) {
      router.forward(
          obs,
          ch -> LockGrpc.newStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).inspect(req, obs));
      return;
    }
    Replies.run(
        () -> {
          validator.checkLockName(req.getName());
          return reads.linearizable(
              store -> {
                Store.LockState st = store.lock(req.getName());
                LockInfo info =
                    st == null
                        ? LockInfo.newBuilder().setName(req.getName()).build()
                        : info(store, st);
                return LockInspectResponse.newBuilder()
                    .setHeader(headers.at(store.revision()))
                    .setLock(info)
                    .build();
              });
        },
        obs);
  }

  @Override
  public void list(LockListRequest req, StreamObserver<LockListResponse> obs) {
    if (!router.isLeader()) {
      router.forward(
          obs, ch -> LockGrpc.newStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).list(req, obs));
      return;
    }
    Replies.run(
        () ->
            reads.linearizable(
                store -> {
                  LockListResponse.Builder b =
                      LockListResponse.newBuilder().setHeader(headers.at(store.revision()));
                  for (Store.LockState st : store.locks(req.getPrefix())) {
                    b.addLocks(info(store, st));
                  }
                  return b.build();
                }),
        obs);
  }

  @Override
  public void audit(AuditListRequest req, StreamObserver<AuditListResponse> obs) {
    Replies.run(
        () -> {
          com.google.protobuf.ByteString prefix =
              com.google.protobuf.ByteString.copyFromUtf8(Store.auditPrefix());
          RangeRequest range =
              RangeRequest.newBuilder()
                  .setKey(prefix)
                  .setRangeEnd(KeyRanges.prefixEnd(prefix))
                  .build();
          return reads.linearizable(
              store -> {
                AuditListResponse.Builder b = AuditListResponse.newBuilder();
                var resp = store.range(range);
                for (KeyValue kv : resp.getKvsList()) {
                  AuditRecord.Builder a = AuditRecord.newBuilder();
                  try {
                    JSON.merge(kv.getValue().toStringUtf8(), a);
                  } catch (InvalidProtocolBufferException e) {
                    continue;
                  }
                  if (a.getAtMs() >= req.getSinceMs()) {
                    b.addRecords(a);
                  }
                }
                return b.setHeader(headers.at(resp.getHeader().getRevision())).build();
              });
        },
        obs);
  }

  private LockInfo info(Store store, Store.LockState st) {
    LockInfo.Builder b =
        LockInfo.newBuilder()
            .setName(st.record().getName())
            .setQuarantinedUntilMs(st.record().getQuarantinedUntilMs());
    long holder = st.record().getHolderToken();
    for (KeyValue kv : st.claims()) {
      LeaseRecord lease = store.lease(kv.getLease());
      Lessor.LiveInfo live = lessor.live(kv.getLease());
      LockClaim.Builder c =
          LockClaim.newBuilder()
              .setToken(kv.getCreateRevision())
              .setLease(kv.getLease())
              .setKey(kv.getKey())
              .setQueuedAtMs(Store.claimQueuedAtMs(kv))
              .setLastKeepaliveAgeMs(live == null ? -1 : live.sinceKeepAliveMs());
      if (lease != null) {
        c.setOwner(lease.getOwner());
      }
      if (kv.getCreateRevision() == holder) {
        b.setHolder(c.setAcquiredAtMs(st.record().getAcquiredAtMs()));
      } else {
        b.addWaiters(c);
      }
    }
    return b.build();
  }
}
