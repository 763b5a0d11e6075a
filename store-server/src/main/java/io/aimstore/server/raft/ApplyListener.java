package io.aimstore.server.raft;

import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.Store;

/** Told of every applied entry, on the apply thread: implementations must return quickly. */
public interface ApplyListener {

  /** Entry {@code index} was applied and its batch committed. */
  void onApplied(long index, ApplyResult result);

  /**
   * The store was opened at start, or replaced wholesale by an installed snapshot: every revision,
   * lease and lock known before may be gone or changed.
   */
  default void onReset(Store store) {}
}
