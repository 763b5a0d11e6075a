package io.aimstore.server.api.etcd;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.function.Consumer;

/**
 * Hands an aimstore streaming service (which needs the server call's flow control and cancellation)
 * a call of its own type that is really the etcd call: readiness is the etcd call's, its ready and
 * cancel events run the handlers the service sets, and every response goes to {@code onNext}, which
 * translates and sends it. Failures and completion end the etcd call, translated by {@link
 * EtcdErrors}.
 *
 * <p>gRPC takes a call's handlers only while the service method runs, so this relay must be made
 * then; the aimstore service it is handed to may start later (an Observe reads before it watches).
 */
final class CallRelay<A, E> extends ServerCallStreamObserver<A> {
  private final ServerCallStreamObserver<E> call;
  private final Consumer<A> onNext;
  private volatile Runnable onReady = () -> {};
  private volatile Runnable onCancel = () -> {};

  CallRelay(ServerCallStreamObserver<E> call, Consumer<A> onNext) {
    this.call = call;
    this.onNext = onNext;
    call.setOnReadyHandler(() -> onReady.run());
    call.setOnCancelHandler(() -> onCancel.run());
  }

  @Override
  public boolean isCancelled() {
    return call.isCancelled();
  }

  @Override
  public void setOnCancelHandler(Runnable handler) {
    onCancel = handler;
    if (call.isCancelled()) {
      handler.run();
    }
  }

  @Override
  public void setCompression(String compression) {
    call.setCompression(compression);
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public void setOnReadyHandler(Runnable handler) {
    onReady = handler;
  }

  @Override
  public void disableAutoInboundFlowControl() {
    call.disableAutoInboundFlowControl();
  }

  @Override
  public void request(int count) {
    call.request(count);
  }

  @Override
  public void setMessageCompression(boolean enable) {
    call.setMessageCompression(enable);
  }

  @Override
  public void onNext(A value) {
    onNext.accept(value);
  }

  @Override
  public void onError(Throwable t) {
    call.onError(EtcdErrors.toEtcd(t));
  }

  @Override
  public void onCompleted() {
    call.onCompleted();
  }
}
