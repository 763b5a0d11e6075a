package io.aimstore.server.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Times every gRPC call by method and status code ({@code aimstore_grpc_server_seconds}). */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public GrpcMetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  private Timer timer(String method, Status.Code code) {
    return timers.computeIfAbsent(
        method + ' ' + code,
        k ->
            Timer.builder("aimstore.grpc.server")
                .description("gRPC calls served, by method and status")
                .tag("method", method)
                .tag("code", code.name())
                .register(registry));
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Timer.Sample sample = Timer.start(registry);
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            sample.stop(timer(method, status.getCode()));
            super.close(status, trailers);
          }
        },
        headers);
  }
}
