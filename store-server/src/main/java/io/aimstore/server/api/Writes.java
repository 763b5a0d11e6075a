package io.aimstore.server.api;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.AimStateMachine;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Proposes one command through group commit and returns its result once the leader has applied it.
 * A refused command becomes a {@link StoreException}. On a follower the write becomes visible to
 * serializable reads a heartbeat later; linearizable reads see it at once.
 */
public final class Writes {
  private final ProposalBatcher batcher;
  private final AimStateMachine stateMachine;
  private final Clock clock;
  private final Failpoints failpoints;
  private final Runnable staleFence;

  public Writes(
      ProposalBatcher batcher,
      AimStateMachine stateMachine,
      Clock clock,
      Failpoints failpoints,
      Runnable staleFence) {
    this.staleFence = staleFence;
    this.failpoints = failpoints;
    this.batcher = batcher;
    this.stateMachine = stateMachine;
    this.clock = clock;
  }

  /** Stamps {@code command} with this member's wall-clock time and proposes it. */
  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    if (failpoints.ackBeforeCommit() && command.hasPut()) {
      submitForOutcome(command); // the bug: answer before Raft has committed anything
      return CompletableFuture.completedFuture(
          CommandResult.newBuilder()
              .setPut(io.aimstore.api.v1.PutResponse.getDefaultInstance())
              .build());
    }
    return submitForOutcome(command)
        .thenApply(
            o -> {
              if (o.result().hasError()) {
                throw StoreException.of(o.result().getError());
              }
              return o.result();
            });
  }

  /**
   * Like {@link #submit} but completes once this member has applied the entry too, for callers that
   * go on to read local state (lock waiters).
   */
  public CompletableFuture<CommandResult> submitAndApplyLocally(Command.Builder command) {
    return submitForOutcome(command)
        .thenCompose(
            o -> {
              if (o.result().hasError()) {
                return CompletableFuture.failedFuture(StoreException.of(o.result().getError()));
              }
              return stateMachine.waitApplied(o.logIndex()).thenApply(v -> o.result());
            });
  }

  private CompletableFuture<ProposalBatcher.Outcome> submitForOutcome(Command.Builder command) {
    return batcher
        .submit(command.setProposedAtMs(clock.millis()).build())
        .whenComplete(
            (o, err) -> {
              if (o != null && o.result().getError().getStaleFence()) {
                staleFence.run();
              }
            });
  }
}
