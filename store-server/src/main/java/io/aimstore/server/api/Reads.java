package io.aimstore.server.api;

import io.aimstore.server.core.Store;
import io.aimstore.server.raft.RaftNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Reads of this member's store, on the read pool: linearizable ones after a ReadIndex barrier (so
 * they see every write acknowledged before they started), serializable ones at once.
 */
public final class Reads {
  private final RaftNode raft;
  private final Executor pool;

  public Reads(RaftNode raft, Executor pool) {
    this.raft = raft;
    this.pool = pool;
  }

  public <T> CompletableFuture<T> linearizable(Function<Store, T> read) {
    return raft.readBarrier().thenApplyAsync(v -> raft.stateMachine().read(read), pool);
  }

  /** The read pool, for continuations that must leave the apply thread. */
  public Executor pool() {
    return pool;
  }

  public <T> CompletableFuture<T> serializable(Function<Store, T> read) {
    return CompletableFuture.supplyAsync(() -> raft.stateMachine().read(read), pool);
  }
}
