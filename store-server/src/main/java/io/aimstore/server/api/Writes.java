package io.aimstore.server.api;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import java.util.concurrent.CompletableFuture;

/** The api layer's write path. */
public interface Writes {
  /**
   * Proposes {@code command} for the current call's identity and completes with its result once the
   * leader has applied it. Call it in the handler: PERMISSION_DENIED is thrown before anything is
   * proposed.
   */
  CompletableFuture<CommandResult> submit(Command.Builder command);
}
