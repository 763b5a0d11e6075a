package io.aimstore.server.api;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Completes unary gRPC calls from futures, mapping every failure through {@link GrpcErrors}. */
final class Replies {
  private Replies() {}

  static <T> void send(CompletableFuture<T> future, StreamObserver<T> observer) {
    future.whenComplete(
        (value, err) -> {
          if (err != null) {
            observer.onError(GrpcErrors.toStatus(err));
          } else {
            observer.onNext(value);
            observer.onCompleted();
          }
        });
  }

  /** Runs {@code call}; a failure thrown before any future exists is mapped too. */
  static <T> void run(Supplier<CompletableFuture<T>> call, StreamObserver<T> observer) {
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    }
    send(f, observer);
  }
}
