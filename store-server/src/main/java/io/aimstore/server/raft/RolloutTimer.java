package io.aimstore.server.raft;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.RolloutTick;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The leader's clock for rollouts. The core decides when a running stage times out ({@code
 * Store#nextRolloutDeadlineMs}, in leader time); once the leader's wall clock has reached that
 * moment, this proposes a {@link RolloutTick}, which the leader stamps with its time and apply
 * halts the overdue rollouts by. Followers never propose ticks, so their clocks decide nothing.
 */
public final class RolloutTimer {
  private final AimStateMachine stateMachine;
  private final BooleanSupplier isLeader;
  private final LongSupplier wallClock;
  private final Function<Command.Builder, CompletableFuture<CommandResult>> proposer;
  private CompletableFuture<CommandResult> inFlight = CompletableFuture.completedFuture(null);

  /**
   * @param wallClock the leader's wall clock, unix ms (the same clock that stamps log entries)
   */
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
    long due = stateMachine.read(s -> s.nextRolloutDeadlineMs());
    if (wallClock.getAsLong() >= due) {
      inFlight =
          proposer.apply(Command.newBuilder().setRolloutTick(RolloutTick.getDefaultInstance()));
    }
  }
}
