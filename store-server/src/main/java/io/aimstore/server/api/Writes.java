package io.aimstore.server.api;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.raft.CommandProposer;
import java.util.concurrent.CompletableFuture;

/**
 * The api layer's write path: stamps each command with the caller's identity, checks it may be
 * proposed ({@link Guard}) and proposes it through the {@link CommandProposer}; with the test-only
 * failpoints.
 */
public final class Writes {
  private final CommandProposer proposer;
  private final Guard guard;
  private final Failpoints failpoints;

  public Writes(CommandProposer proposer, Guard guard, Failpoints failpoints) {
    this.proposer = proposer;
    this.guard = guard;
    this.failpoints = failpoints;
  }

  /**
   * Proposes {@code command} for the current call's identity (see {@link CommandProposer#submit}).
   * Call it in the handler: PERMISSION_DENIED is thrown before anything is proposed.
   */
  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    guard.authorize(command);
    if (failpoints.ackBeforeCommit() && command.hasPut()) {
      proposer.submit(command); // the bug: answer before Raft has committed anything
      return CompletableFuture.completedFuture(
          CommandResult.newBuilder()
              .setPut(io.aimstore.api.v1.PutResponse.getDefaultInstance())
              .build());
    }
    return proposer.submit(command);
  }
}
