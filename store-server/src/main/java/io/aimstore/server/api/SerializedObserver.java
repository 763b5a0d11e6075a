package io.aimstore.server.api;

import io.grpc.stub.StreamObserver;

/** A {@link StreamObserver} that several threads may call: gRPC's own is not thread-safe. */
final class SerializedObserver<T> implements StreamObserver<T> {
  private final StreamObserver<T> delegate;
  private boolean done;

  SerializedObserver(StreamObserver<T> delegate) {
    this.delegate = delegate;
  }

  @Override
  public synchronized void onNext(T value) {
    if (!done) {
      delegate.onNext(value);
    }
  }

  @Override
  public synchronized void onError(Throwable t) {
    if (!done) {
      done = true;
      delegate.onError(t);
    }
  }

  @Override
  public synchronized void onCompleted() {
    if (!done) {
      done = true;
      delegate.onCompleted();
    }
  }

  synchronized boolean isDone() {
    return done;
  }
}
