package io.aimstore.server.api;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.raft.CommandProposer;
import java.util.concurrent.CompletableFuture;

/** The api layer's write path: the {@link CommandProposer}, with the test-only failpoints. */
public final class Writes {
  private final CommandProposer proposer;
  private final Failpoints failpoints;

  public Writes(CommandProposer proposer, Failpoints failpoints) {
    this.proposer = proposer;
    this.failpoints = failpoints;
  }

  /** See {@link CommandProposer#submit}. */
  public CompletableFuture<CommandResult> submit(Command.Builder command) {
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
