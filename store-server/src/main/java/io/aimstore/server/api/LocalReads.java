package io.aimstore.server.api;

import io.aimstore.server.core.Store;
import io.aimstore.server.raft.RaftNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** {@link Reads} of this member's store, on the read pool, after a ReadIndex barrier when asked. */
public final class LocalReads implements Reads {
  private final RaftNode raft;
  private final Executor pool;

  public LocalReads(RaftNode raft, Executor pool) {
    this.raft = raft;
    this.pool = pool;
  }

  @Override
  public <T> CompletableFuture<T> linearizable(Function<Store, T> read) {
    return raft.readBarrier().thenApplyAsync(v -> raft.stateMachine().read(read), pool);
  }

  @Override
  public Executor pool() {
    return pool;
  }

  @Override
  public <T> CompletableFuture<T> serializable(Function<Store, T> read) {
    return CompletableFuture.supplyAsync(() -> raft.stateMachine().read(read), pool);
  }
}
