package io.aimstore.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Reads share ReadIndex rounds, but never one that started before they arrived. */
class ReadBarriersTest {
  final List<CompletableFuture<Void>> rounds = new ArrayList<>();
  final ReadBarriers barriers =
      new ReadBarriers(
          () -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            rounds.add(f);
            return f;
          });

  @Test
  void aLoneReadStartsARoundAtOnce() {
    CompletableFuture<Void> r = barriers.await();
    assertThat(rounds).hasSize(1);
    rounds.get(0).complete(null);
    assertThat(r).isCompleted();
  }

  @Test
  void readsArrivingDuringARoundShareTheNextOneNotTheCurrent() {
    CompletableFuture<Void> first = barriers.await();
    List<CompletableFuture<Void>> later = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      later.add(barriers.await());
    }
    assertThat(rounds).hasSize(1);
    rounds.get(0).complete(null);
    assertThat(first).isCompleted();
    assertThat(later).noneMatch(CompletableFuture::isDone);
    assertThat(rounds).as("the waiting reads' round starts when the first ends").hasSize(2);
    rounds.get(1).complete(null);
    assertThat(later).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
  }

  @Test
  void aFailedRoundFailsItsReadsAndTheNextRoundStillRuns() {
    CompletableFuture<Void> a = barriers.await();
    CompletableFuture<Void> b = barriers.await();
    rounds.get(0).completeExceptionally(new IllegalStateException("no leader"));
    assertThatThrownBy(a::join).hasMessageContaining("no leader");
    rounds.get(1).complete(null);
    assertThat(b).isCompleted();
    assertThat(barriers.await()).isNotDone();
    assertThat(rounds).hasSize(3);
  }
}
