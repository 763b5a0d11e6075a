package io.aimstore.server.raft;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Shares ReadIndex rounds between concurrent linearizable reads. A read joins the next round, which
 * starts only after the read arrived (so it still sees every write acknowledged before it); while
 * one round is in flight the next collects every read that comes in. Under load each round serves
 * many reads; a lone read pays one round as before.
 */
final class ReadBarriers {
  private final Supplier<CompletableFuture<Void>> round;
  private CompletableFuture<Void> next;
  private boolean inFlight;

  ReadBarriers(Supplier<CompletableFuture<Void>> round) {
    this.round = round;
  }

  /** Completes when this member has applied everything committed before the call. */
  synchronized CompletableFuture<Void> await() {
    if (next == null) {
      next = new CompletableFuture<>();
    }
    CompletableFuture<Void> mine = next;
    if (!inFlight) {
      startNext();
    }
    return mine;
  }

  /** Starts the round the waiting reads joined. Caller holds the lock. */
  private void startNext() {
    CompletableFuture<Void> batch = next;
    next = null;
    inFlight = true;
    CompletableFuture<Void> r;
    try {
      r = round.get();
    } catch (RuntimeException e) {
      r = CompletableFuture.failedFuture(e);
    }
    r.whenComplete(
        (v, err) -> {
          if (err != null) {
            batch.completeExceptionally(err);
          } else {
            batch.complete(null);
          }
          synchronized (this) {
            inFlight = false;
            if (next != null) {
              startNext();
            }
          }
        });
  }
}
