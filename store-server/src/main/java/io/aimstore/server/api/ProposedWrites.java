package io.aimstore.server.api;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.raft.CommandProposer;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link Writes} of a member: stamps each command with the caller's identity, checks it may be
 * proposed ({@link Guard}) and proposes it through the {@link CommandProposer}.
 */
public final class ProposedWrites implements Writes {
  private final CommandProposer proposer;
  private final Guard guard;

  public ProposedWrites(CommandProposer proposer, Guard guard) {
    this.proposer = proposer;
    this.guard = guard;
  }

  @Override
  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    guard.authorize(command);
    return proposer.submit(command);
  }
}
