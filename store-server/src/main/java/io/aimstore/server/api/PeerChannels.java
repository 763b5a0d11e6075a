package io.aimstore.server.api;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** gRPC channels from this member to the other members' client APIs, created on first use. */
public final class PeerChannels implements AutoCloseable {
  private final ClusterView cluster;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public PeerChannels(ClusterView cluster) {
    this.cluster = cluster;
  }

  /** The channel to member {@code name}; the name must be a configured member. */
  public ManagedChannel to(String name) {
    MemberEndpoints m =
        cluster
            .member(name)
            .orElseThrow(() -> new IllegalArgumentException("unknown member " + name));
    return channels.computeIfAbsent(
        name, n -> NettyChannelBuilder.forTarget(m.client()).usePlaintext().build());
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels.values()) {
      try {
        c.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
