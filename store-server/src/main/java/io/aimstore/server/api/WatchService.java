package io.aimstore.server.api;

import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.WatchCreateRequest;
import io.aimstore.api.v1.WatchGrpc;
import io.aimstore.api.v1.WatchRequest;
import io.aimstore.api.v1.WatchResponse;
import io.aimstore.server.core.RangeRequests;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.watch.ResponseSink;
import io.aimstore.server.watch.WatchHub;
import io.aimstore.server.watch.WatchStream;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The Watch API: one bidirectional stream carries many watches. Any member serves watches from its
 * own applied state; a client that reconnects elsewhere resumes from its last revision + 1.
 */
public final class WatchService extends WatchGrpc.WatchImplBase {
  private final Calls calls;
  private final WatchHub hub;

  public WatchService(Calls calls, WatchHub hub) {
    this.calls = calls;
    this.hub = hub;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
    ServerCallStreamObserver<WatchResponse> call =
        (ServerCallStreamObserver<WatchResponse>) responses;
    WatchStream stream =
        hub.openStream(
            new ResponseSink() {
              @Override
              public boolean isReady() {
                return call.isReady();
              }

              @Override
              public void send(WatchResponse response) {
                call.onNext(response);
              }

              @Override
              public void fail(Throwable error) {
                call.onError(GrpcErrors.toStatus(error));
              }
            });
    call.setOnReadyHandler(stream::onReady);
    call.setOnCancelHandler(stream::close);
    return new StreamObserver<>() {
      @Override
      public void onNext(WatchRequest req) {
        switch (req.getRequestUnionCase()) {
          case CREATE_REQUEST -> create(stream, call, req.getCreateRequest());
          case CANCEL_REQUEST -> stream.cancel(req.getCancelRequest().getWatchId());
          case PROGRESS_REQUEST -> stream.progress();
          default -> {}
        }
      }

      @Override
      public void onError(Throwable t) {
        stream.close();
      }

      @Override
      public void onCompleted() {
        stream.close();
        synchronized (stream) {
          call.onCompleted();
        }
      }
    };
  }

  private void create(
      WatchStream stream, ServerCallStreamObserver<WatchResponse> call, WatchCreateRequest req) {
    try {
      calls.validator().checkRange(RangeRequests.of(req.getKey(), req.getRangeEnd()));
      if (req.getStartRevision() < 0) {
        throw StoreException.invalid("start_revision must be >= 0, got " + req.getStartRevision());
      }
      calls.guard().require(Permission.WATCH, req.getKey(), req.getRangeEnd());
    } catch (StoreException e) {
      synchronized (stream) {
        call.onNext(
            WatchResponse.newBuilder()
                .setHeader(calls.headers().at(hub.dispatchedRevision()))
                .setWatchId(req.getWatchId())
                .setCanceled(true)
                .setCancelReason(e.code().name() + ": " + e.getMessage())
                .build());
      }
      return;
    }
    stream.create(req);
  }
}
