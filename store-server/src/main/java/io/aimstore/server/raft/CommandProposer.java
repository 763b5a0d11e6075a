package io.aimstore.server.raft;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.core.StoreException;
import java.util.concurrent.CompletableFuture;

/**
 * The write path: proposes commands through group commit ({@link ProposalBatcher}) and returns each
 * one's result once the leader has applied its entry. A command that apply refused fails with its
 * {@link StoreException}; one whose replication failed with a {@link ReplicationException}. The
 * proposer stamps no time: the leader does (see {@code LogEntry.leader_time_ms}).
 */
public final class CommandProposer {
  private final ProposalBatcher batcher;
  private final AimStateMachine stateMachine;
  private final Runnable staleFence;

  /**
   * @param staleFence told of every command refused because its fencing token no longer held its
   *     lock
   */
  public CommandProposer(
      ProposalBatcher batcher, AimStateMachine stateMachine, Runnable staleFence) {
    this.batcher = batcher;
    this.stateMachine = stateMachine;
    this.staleFence = staleFence;
  }

  /** Proposes {@code command}; completes with its result once the leader has applied it. */
  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    return outcome(command).thenApply(ProposalBatcher.Outcome::result);
  }

  /**
   * Like {@link #submit} but completes once this member has applied the entry too, for callers that
   * go on to read local state (lock waiters).
   */
  public CompletableFuture<CommandResult> submitAndApplyLocally(Command.Builder command) {
    return outcome(command)
        .thenCompose(o -> stateMachine.waitApplied(o.logIndex()).thenApply(v -> o.result()));
  }

  private CompletableFuture<ProposalBatcher.Outcome> outcome(Command.Builder command) {
    return batcher
        .submit(command.build())
        .thenApply(
            o -> {
              if (o.result().hasError()) {
                if (o.result().getError().getStaleFence()) {
                  staleFence.run();
                }
                throw StoreException.of(o.result().getError());
              }
              return o;
            });
  }
}
