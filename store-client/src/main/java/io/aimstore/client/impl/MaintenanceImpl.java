package io.aimstore.client.impl;

import io.aimstore.api.v1.AlarmDisarmRequest;
import io.aimstore.api.v1.AlarmDisarmResponse;
import io.aimstore.api.v1.AlarmListRequest;
import io.aimstore.api.v1.AlarmListResponse;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.api.v1.HashKVRequest;
import io.aimstore.api.v1.HashKVResponse;
import io.aimstore.api.v1.MaintenanceGrpc;
import io.aimstore.api.v1.SnapshotRequest;
import io.aimstore.api.v1.SnapshotResponse;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.Maintenance;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Maintenance} over gRPC: snapshots as a server-streaming call read on a thread of its own,
 * alarms as unary calls.
 */
public final class MaintenanceImpl implements Maintenance {
  private final Connection conn;

  public MaintenanceImpl(Connection conn) {
    this.conn = conn;
  }

  @Override
  public CompletableFuture<HashKVResponse> hashAt(
      String endpoint, long revision, Duration timeout) {
    int index = conn.endpoints().indexOf(endpoint);
    if (index < 0) {
      throw new IllegalArgumentException(
          endpoint + " is not one of this client's endpoints " + conn.endpoints());
    }
    HashKVRequest r = HashKVRequest.newBuilder().setRevision(revision).build();
    return conn.callOnce(index, ch -> MaintenanceGrpc.newFutureStub(ch).hashKV(r), timeout);
  }

  @Override
  public CompletableFuture<AlarmListResponse> alarms() {
    return conn.call(
        ch -> MaintenanceGrpc.newFutureStub(ch).alarmList(AlarmListRequest.getDefaultInstance()),
        Connection.Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<AlarmDisarmResponse> disarm(
      AlarmType type, String member, String reason) {
    AlarmDisarmRequest r =
        AlarmDisarmRequest.newBuilder()
            .setAlarm(type)
            .setMember(member == null ? "" : member)
            .setReason(reason == null ? "" : reason)
            .build();
    return conn.call(
        ch -> MaintenanceGrpc.newFutureStub(ch).alarmDisarm(r), Connection.Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<Long> snapshot(OutputStream out, Progress progress, Duration limit) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(download(out, progress, limit));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "aimstore-snapshot");
    t.setDaemon(true);
    t.start();
    return result;
  }

  private long download(OutputStream out, Progress progress, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    int first = conn.currentIndex();
    int endpoints = conn.endpoints().size();
    for (int attempt = 0; ; attempt++) {
      int index = (first + attempt) % endpoints;
      long[] received = {0};
      Context.CancellableContext ctx = Context.current().withCancellation();
      try {
        return ctx.call(
            () -> {
              Iterator<SnapshotResponse> it =
                  MaintenanceGrpc.newBlockingStub(conn.channel(index))
                      .withDeadlineAfter(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                      .snapshot(SnapshotRequest.getDefaultInstance());
              long total = 0;
              while (it.hasNext()) {
                SnapshotResponse r = it.next();
                if (r.getTotalBytes() > 0) {
                  total = r.getTotalBytes();
                }
                r.getBlob().writeTo(out);
                received[0] += r.getBlob().size();
                progress.update(received[0], total);
              }
              return received[0];
            });
      } catch (StatusRuntimeException e) {
        if (received[0] == 0
            && e.getStatus().getCode() == Status.Code.UNAVAILABLE
            && attempt + 1 < endpoints
            && System.nanoTime() < deadline) {
          continue; // nothing written yet: the next member may serve it
        }
        throw Failures.translate(e);
      } catch (IOException e) {
        throw new AimStoreException(
            AimStoreException.Code.UNKNOWN,
            "cannot write the snapshot: " + e.getMessage(),
            AimStoreException.Outcome.NOT_APPLIED,
            e);
      } catch (Exception e) {
        throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
      } finally {
        ctx.cancel(null);
      }
    }
  }
}
