package io.aimstore.bench.driver;

import java.util.concurrent.CompletableFuture;

/**
 * A few keep-alive streams to one member, shared by any number of leases. Each stream carries many
 * requests at once; a response is matched to its request by lease id, so a lease may have at most
 * one keep-alive outstanding.
 */
public interface KeepAliveStreams extends AutoCloseable {

  int streams();

  /**
   * Sends one keep-alive for {@code lease} on stream {@code stream}; completes with the remaining
   * TTL in milliseconds the member answered (0: the lease is gone).
   */
  CompletableFuture<Long> keepAlive(int stream, long lease);

  @Override
  void close();
}
