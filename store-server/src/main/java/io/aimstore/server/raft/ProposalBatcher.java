package io.aimstore.server.raft;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.LogEntry;
import io.aimstore.server.raft.RaftNode.Proposal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Group commit: packs commands that arrive while earlier proposals are in flight into one log
 * entry. It never waits on a timer: when fewer than {@code maxInFlight} proposals are out, a
 * command is proposed at once; otherwise it joins the next entry, which leaves as soon as a slot
 * frees up. So a lone client pays one round, and under load each Raft round carries many commands.
 */
public final class ProposalBatcher {
  /** A command's result and the log index of the entry that carried it. */
  public record Outcome(CommandResult result, long logIndex) {}

  private record Pending(Command command, int bytes, CompletableFuture<Outcome> future) {}

  private final Function<LogEntry, CompletableFuture<Proposal>> proposer;
  private final IntConsumer batchSizes;
  private final int maxInFlight;
  private final int maxCommands;
  private final int maxBytes;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param proposer replicates an entry and returns its results
   * @param maxInFlight entries proposed and not yet answered
   * @param maxCommands commands per entry
   * @param maxBytes serialized bytes per entry (a single larger command still goes alone)
   * @param batchSizes told the number of commands of every entry proposed
   */
  public ProposalBatcher(
      Function<LogEntry, CompletableFuture<Proposal>> proposer,
      int maxInFlight,
      int maxCommands,
      int maxBytes,
      IntConsumer batchSizes) {
    this.proposer = proposer;
    this.batchSizes = batchSizes;
    this.maxInFlight = maxInFlight;
    this.maxCommands = maxCommands;
    this.maxBytes = maxBytes;
  }

  /** Queues {@code command}; completes with its result once its entry is applied. */
  public CompletableFuture<Outcome> submit(Command command) {
    CompletableFuture<Outcome> f = new CompletableFuture<>();
    synchronized (this) {
      queue.add(new Pending(command, command.getSerializedSize(), f));
    }
    drain();
    return f;
  }

  private void drain() {
    while (true) {
      List<Pending> batch = new ArrayList<>();
      synchronized (this) {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
          return;
        }
        int bytes = 0;
        while (!queue.isEmpty() && batch.size() < maxCommands) {
          Pending next = queue.peek();
          if (!batch.isEmpty() && bytes + next.bytes() > maxBytes) {
            break;
          }
          bytes += next.bytes();
          batch.add(queue.poll());
        }
        inFlight++;
      }
      batchSizes.accept(batch.size());
      LogEntry.Builder entry = LogEntry.newBuilder();
      batch.forEach(p -> entry.addCommands(p.command()));
      CompletableFuture<Proposal> proposal;
      try {
        proposal = proposer.apply(entry.build());
      } catch (RuntimeException e) {
        proposal = CompletableFuture.failedFuture(e);
      }
      proposal.whenComplete(
          (p, err) -> {
            synchronized (this) {
              inFlight--;
            }
            complete(batch, p, err);
            drain();
          });
    }
  }

  private static void complete(List<Pending> batch, Proposal p, Throwable err) {
    if (err == null && p.result().getResultsCount() != batch.size()) {
      err =
          new IllegalStateException(
              "entry carried "
                  + batch.size()
                  + " commands but returned "
                  + p.result().getResultsCount()
                  + " results");
    }
    for (int i = 0; i < batch.size(); i++) {
      if (err != null) {
        batch.get(i).future().completeExceptionally(err);
      } else {
        batch.get(i).future().complete(new Outcome(p.result().getResults(i), p.logIndex()));
      }
    }
  }
}
