package io.aimstore.server.api.etcd;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/** Observers that pass an aimstore call's answers on to an etcd call, translated. */
final class Relay {
  private Relay() {}

  /**
   * Runs continuations in the current call's gRPC context, on the thread that completes the stage.
   * A continuation that makes another aimstore call needs it: the caller's verified identity lives
   * in that context, and a stage completed by a Raft or watch thread would otherwise run without.
   */
  static Executor inCallContext() {
    return Context.current().fixedContextExecutor(Runnable::run);
  }

  /**
   * An observer of aimstore responses that sends each, translated by {@code map}, to {@code out};
   * failures (including a failing {@code map}) reach {@code out} as etcd statuses.
   */
  static <A, E> StreamObserver<A> to(StreamObserver<E> out, Function<A, E> map) {
    return new StreamObserver<>() {
      @Override
      public void onNext(A value) {
        E translated;
        try {
          translated = map.apply(value);
        } catch (RuntimeException e) {
          out.onError(EtcdErrors.toEtcd(e));
          return;
        }
        out.onNext(translated);
      }

      @Override
      public void onError(Throwable t) {
        out.onError(EtcdErrors.toEtcd(t));
      }

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }

  /**
   * Runs one unary aimstore call and returns its answer as a future; it fails with the aimstore
   * status the call ended with.
   */
  static <A> CompletableFuture<A> call(Consumer<StreamObserver<A>> call) {
    CompletableFuture<A> f = new CompletableFuture<>();
    try {
      call.accept(
          new StreamObserver<>() {
            @Override
            public void onNext(A value) {
              f.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              f.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
              f.completeExceptionally(new IllegalStateException("call completed without a reply"));
            }
          });
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
    }
    return f;
  }

  /** Completes the unary etcd call {@code out} from {@code future}, mapping failures. */
  static <E> void send(CompletableFuture<E> future, StreamObserver<E> out) {
    future.whenComplete(
        (value, err) -> {
          if (err != null) {
            out.onError(EtcdErrors.toEtcd(err));
          } else {
            out.onNext(value);
            out.onCompleted();
          }
        });
  }
}
