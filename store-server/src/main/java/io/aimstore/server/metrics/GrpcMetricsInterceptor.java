package io.aimstore.server.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Times every gRPC call by method and status code ({@code aimstore_grpc_server_seconds}). */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
  private final MeterRegistry registry;

  public GrpcMetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
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
            sample.stop(
                Timer.builder("aimstore.grpc.server")
                    .description("gRPC calls served, by method and status")
                    .tag("method", method)
                    .tag("code", status.getCode().name())
                    .publishPercentileHistogram(false)
                    .register(registry));
            super.close(status, trailers);
          }
        },
        headers);
  }
}
