package io.aimstore.client.impl;

import io.aimstore.api.WireHeaders;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.function.Consumer;

/** Reads the {@code aimstore-leader} response header: where the members say the leader is. */
final class LeaderHints implements ClientInterceptor {

  private final Consumer<String> seen;

  LeaderHints(Consumer<String> seen) {
    this.seen = seen;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata h) {
                String leader = h.get(WireHeaders.LEADER);
                if (leader != null) {
                  seen.accept(leader);
                }
                super.onHeaders(h);
              }
            },
            headers);
      }
    };
  }
}
