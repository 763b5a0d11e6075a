package io.aimstore.server.api;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * gRPC channels from this member to the other members' client APIs, created on first use: mutual
 * TLS with this member's certificate, or plaintext on an insecure cluster.
 */
public final class PeerChannels implements AutoCloseable {
  private final ClusterView cluster;
  private final SslContext tls;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  /**
   * @param tls this member's client-side TLS; null for plaintext
   */
  public PeerChannels(ClusterView cluster, SslContext tls) {
    this.cluster = cluster;
    this.tls = tls;
  }

  /**
   * The channel to member {@code name}; the name must be a known member. Channels are kept per name
   * and address: a member added again at another address gets a new one.
   */
  public ManagedChannel to(String name) {
    MemberEndpoints m =
        cluster
            .member(name)
            .orElseThrow(() -> new IllegalArgumentException("unknown member " + name));
    return channels.computeIfAbsent(
        name + "@" + m.client(),
        n -> {
          NettyChannelBuilder b = NettyChannelBuilder.forTarget(m.client());
          return (tls == null ? b.usePlaintext() : b.sslContext(tls)).build();
        });
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
