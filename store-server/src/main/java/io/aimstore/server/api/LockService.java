package io.aimstore.server.api;

import com.google.protobuf.ByteString;
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
import io.aimstore.internal.LockForceRelease;
import io.aimstore.server.core.RequestValidator;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.LockKeeper;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Lock API: a thin adapter. Acquisition and release go through the {@link LockKeeper}; views
 * that show keep-alive ages come from the leader (other members forward them).
 */
public final class LockService extends LockGrpc.LockImplBase {
  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  private final Writes writes;
  private final RequestValidator validator;
  private final Headers headers;
  private final LockKeeper keeper;
  private final LeaderRouter router;
  private final Reads reads;
  private final Counter acquisitions;
  private final Counter forceReleases;
  private final Timer waitTime;

  public LockService(
      Writes writes,
      RequestValidator validator,
      Headers headers,
      LockKeeper keeper,
      LeaderRouter router,
      Reads reads,
      MeterRegistry registry) {
    this.writes = writes;
    this.validator = validator;
    this.headers = headers;
    this.keeper = keeper;
    this.router = router;
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
    long start = System.nanoTime();
    Replies.run(
        () -> {
          validator.checkLockName(req.getName());
          if (req.getLease() <= 0) {
            throw StoreException.invalid(
                "a lock must be held on a lease (lease > 0): grant one or open a session, so the"
                    + " lock goes when its holder does");
          }
          if (req.getWaitTimeoutMs() < 0) {
            throw StoreException.invalid(
                "wait_timeout_ms must be >= 0, got " + req.getWaitTimeoutMs());
          }
          CompletableFuture<LockKeeper.Grant> grant =
              keeper.acquire(req.getName(), req.getLease(), req.getWaitTimeoutMs());
          if (obs instanceof ServerCallStreamObserver<LockAcquireResponse> call) {
            call.setOnCancelHandler(() -> grant.cancel(false));
          }
          return grant.thenApply(
              g -> {
                acquisitions.increment();
                waitTime.record(Duration.ofNanos(System.nanoTime() - start));
                return LockAcquireResponse.newBuilder()
                    .setHeader(headers.at(g.revision()))
                    .setKey(g.key())
                    .setToken(g.token())
                    .build();
              });
        },
        obs);
  }

  @Override
  public void release(LockReleaseRequest req, StreamObserver<LockReleaseResponse> obs) {
    Replies.run(
        () -> {
          validator.checkLockName(req.getName());
          return keeper
              .release(req.getName(), req.getToken())
              .thenApply(r -> r.toBuilder().setHeader(headers.complete(r.getHeader())).build());
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
                        : keeper.describe(store, st);
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
                    b.addLocks(keeper.describe(store, st));
                  }
                  return b.build();
                }),
        obs);
  }

  @Override
  public void audit(AuditListRequest req, StreamObserver<AuditListResponse> obs) {
    Replies.run(
        () -> {
          ByteString prefix = ByteString.copyFromUtf8(Store.auditPrefix());
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
}
