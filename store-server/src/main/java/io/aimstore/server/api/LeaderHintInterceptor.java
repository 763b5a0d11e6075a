package io.aimstore.server.api;

import io.aimstore.api.WireHeaders;
import io.aimstore.server.raft.RaftNode;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Tells clients where the leader is: every response carries the header {@code aimstore-leader} (the
 * leader's client address, when known), so a client can send writes straight to it instead of
 * paying a forwarding hop through a follower.
 */
public final class LeaderHintInterceptor implements ServerInterceptor {
  private final RaftNode raft;
  private final ClusterView cluster;

  public LeaderHintInterceptor(RaftNode raft, ClusterView cluster) {
    this.raft = raft;
    this.cluster = cluster;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata responseHeaders) {
            try {
              raft.leader()
                  .flatMap(cluster::member)
                  .ifPresent(m -> responseHeaders.put(WireHeaders.LEADER, m.client()));
            } catch (RuntimeException e) {
              // no hint while the member is starting or stopping
            }
            super.sendHeaders(responseHeaders);
          }
        },
        headers);
  }
}
