package io.aimstore.server.raft;

import io.aimstore.api.v1.Rollout;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.RolloutTick;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The leader's clock for rollouts: when a running rollout's stage has waited longer than its ack
 * timeout, it proposes a {@link RolloutTick}; apply halts the rollout using the tick's time.
 */
public final class RolloutTimer {
  private final AimStateMachine stateMachine;
  private final BooleanSupplier isLeader;
  private final LongSupplier wallClock;
  private final Function<Command.Builder, CompletableFuture<CommandResult>> proposer;
  private CompletableFuture<CommandResult> inFlight = CompletableFuture.completedFuture(null);

  public RolloutTimer(
      AimStateMachine stateMachine,
      BooleanSupplier isLeader,
      LongSupplier wallClock,
      Function<Command.Builder, CompletableFuture<CommandResult>> proposer) {
    this.stateMachine = stateMachine;
    this.isLeader = isLeader;
    this.wallClock = wallClock;
    this.proposer = proposer;
  }

  public synchronized void tick() {
    if (!isLeader.getAsBoolean() || !inFlight.isDone()) {
      return;
    }
    long now = wallClock.getAsLong();
    boolean due =
        stateMachine.read(
            s ->
                s.rollouts().stream()
                    .anyMatch(
                        r ->
                            r.getState() == Rollout.State.RUNNING
                                && r.getAckTimeoutMs() > 0
                                && now - r.getStageStartedAtMs() >= r.getAckTimeoutMs()));
    if (due) {
      inFlight =
          proposer.apply(Command.newBuilder().setRolloutTick(RolloutTick.getDefaultInstance()));
    }
  }
}
