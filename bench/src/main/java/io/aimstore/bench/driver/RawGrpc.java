package io.aimstore.bench.driver;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Plain gRPC channels for the workloads that use a store's gRPC API directly (keep-alive streams,
 * multiplexed etcd watches): the same transport (grpc-java over Netty) for aimstore and etcd.
 */
public final class RawGrpc {
  private RawGrpc() {}

  /** A plaintext channel to {@code address}: {@code host:port} or {@code http://host:port}. */
  public static ManagedChannel channel(String address) {
    String target = address.replaceFirst("^https?://", "");
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .maxInboundMessageSize(64 * 1024 * 1024)
        .build();
  }

  /** Shuts a channel down, waiting briefly. */
  public static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
