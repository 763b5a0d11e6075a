package io.aimstore.bench.driver;

import java.util.concurrent.CompletableFuture;

/** One ZooKeeper session holding ephemeral znodes. */
public interface EphemeralSession extends AutoCloseable {

  /** Creates ephemeral {@code key} with {@code value}; completes with the zxid of the create. */
  CompletableFuture<Long> create(String key, byte[] value);

  /** Closes the session; the server deletes its ephemerals. */
  @Override
  void close();
}
