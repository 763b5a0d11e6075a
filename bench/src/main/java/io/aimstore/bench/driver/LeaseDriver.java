package io.aimstore.bench.driver;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Leases a key can live on (aimstore, etcd). ZooKeeper has none: its sessions play that part, see
 * {@link EphemeralDriver}.
 */
public interface LeaseDriver {

  /** Grants a lease of {@code ttl} (whole seconds, rounded up); completes with its id. */
  CompletableFuture<Long> grant(Duration ttl);

  /** Puts {@code key} attached to {@code lease}; completes with the new revision. */
  CompletableFuture<Long> put(String key, byte[] value, long lease);

  /** Revokes {@code lease}, deleting its keys. */
  CompletableFuture<Void> revoke(long lease);

  /**
   * Opens {@code streams} bidirectional keep-alive streams to the member at {@code address} ({@code
   * host:port}) on one new connection of the store's own gRPC API, bypassing the client library's
   * session logic so that the member's capacity is what is measured.
   */
  KeepAliveStreams keepAliveStreams(String address, int streams);
}
