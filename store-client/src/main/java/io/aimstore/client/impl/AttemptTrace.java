package io.aimstore.client.impl;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One attempt of a call on one member: its deadline, and what happened on the wire — whether the
 * request left this client, and whether the member answered. That is what tells a failed write that
 * was never sent (safe to send again) from one whose outcome is unknown.
 */
final class AttemptTrace extends ClientStreamTracer.Factory implements ClientInterceptor {
  private final String endpoint;
  private final Duration budget;
  private final Deadline deadline;
  private volatile boolean sent;
  private volatile boolean answered;

  AttemptTrace(String endpoint, Duration budget) {
    this.endpoint = endpoint;
    this.budget = budget;
    this.deadline = Deadline.after(Math.max(1, budget.toNanos()), TimeUnit.NANOSECONDS);
  }

  String endpoint() {
    return endpoint;
  }

  /** How long this attempt was given. */
  Duration budget() {
    return budget;
  }

  /** The request message was handed to a connection to the member (it may have arrived). */
  boolean sent() {
    return sent;
  }

  /** The member sent response headers or trailers: a status it returned is the store's own. */
  boolean answered() {
    return answered;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return next.newCall(method, options.withDeadline(deadline).withStreamTracerFactory(this));
  }

  @Override
  public ClientStreamTracer newClientStreamTracer(
      ClientStreamTracer.StreamInfo info, Metadata headers) {
    return new ClientStreamTracer() {
      @Override
      public void outboundMessage(int seqNo) {
        sent = true;
      }

      @Override
      public void inboundHeaders() {
        answered = true;
      }

      @Override
      public void inboundTrailers(Metadata trailers) {
        answered = true;
      }
    };
  }
}
