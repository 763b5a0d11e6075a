package io.aimstore.server.api;

import io.aimstore.server.core.Store;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** Reads of this member's store, off the gRPC and apply threads. */
public interface Reads {
  /**
   * Runs {@code read} once this member has applied everything committed before the call (a
   * ReadIndex barrier): it sees every write acknowledged before it started.
   */
  <T> CompletableFuture<T> linearizable(Function<Store, T> read);

  /** Runs {@code read} on this member's state at once: possibly stale, never invented. */
  <T> CompletableFuture<T> serializable(Function<Store, T> read);

  /** The read pool, for continuations that must leave the apply thread. */
  Executor pool();
}
