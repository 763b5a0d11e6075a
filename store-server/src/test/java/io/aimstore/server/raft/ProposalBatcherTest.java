package io.aimstore.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.EntryResult;
import io.aimstore.internal.LogEntry;
import io.aimstore.server.raft.RaftNode.Proposal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Group commit with a fake log: entries form while proposals are in flight, never on a timer. */
class ProposalBatcherTest {
  final List<LogEntry> proposed = new ArrayList<>();
  final List<CompletableFuture<Proposal>> replies = new ArrayList<>();
  final List<Integer> sizes = new ArrayList<>();

  ProposalBatcher batcher(int inFlight, int maxCommands, int maxBytes) {
    return new ProposalBatcher(
        e -> {
          proposed.add(e);
          CompletableFuture<Proposal> f = new CompletableFuture<>();
          replies.add(f);
          return f;
        },
        inFlight,
        maxCommands,
        maxBytes,
        sizes::add);
  }

  static Command put(int i, int valueBytes) {
    return Command.newBuilder()
        .setPut(
            PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("k" + i))
                .setValue(ByteString.copyFrom(new byte[valueBytes])))
        .build();
  }

  /** Answers entry {@code n} with one result per command, revisions numbered from {@code base}. */
  void answer(int n, long base, long logIndex) {
    EntryResult.Builder r = EntryResult.newBuilder();
    for (int i = 0; i < proposed.get(n).getCommandsCount(); i++) {
      r.addResults(CommandResult.newBuilder().setRevision(base + i));
    }
    replies.get(n).complete(new Proposal(r.build(), logIndex));
  }

  @Test
  void aLoneCommandIsProposedAtOnce() {
    ProposalBatcher b = batcher(1, 100, 1 << 20);
    CompletableFuture<ProposalBatcher.Outcome> f = b.submit(put(1, 10));
    assertThat(proposed).hasSize(1);
    answer(0, 7, 42);
    assertThat(f.join().result().getRevision()).isEqualTo(7);
    assertThat(f.join().logIndex()).isEqualTo(42);
  }

  @Test
  void commandsArrivingWhileAnEntryIsInFlightShareTheNextOneInOrder() {
    ProposalBatcher b = batcher(1, 100, 1 << 20);
    CompletableFuture<ProposalBatcher.Outcome> first = b.submit(put(0, 10));
    List<CompletableFuture<ProposalBatcher.Outcome>> queued = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      queued.add(b.submit(put(i, 10)));
    }
    assertThat(proposed).hasSize(1);
    answer(0, 1, 1);
    assertThat(first).isCompleted();
    assertThat(proposed).hasSize(2);
    assertThat(proposed.get(1).getCommandsList())
        .extracting(c -> c.getPut().getKey().toStringUtf8())
        .containsExactly("k1", "k2", "k3", "k4", "k5");
    answer(1, 10, 2);
    for (int i = 0; i < 5; i++) {
      assertThat(queued.get(i).join().result().getRevision()).isEqualTo(10 + i);
    }
    assertThat(sizes).containsExactly(1, 5);
  }

  @Test
  void entriesRespectTheCommandAndByteCapsButABigCommandStillGoes() {
    ProposalBatcher b = batcher(1, 3, 1000);
    b.submit(put(0, 10));
    for (int i = 1; i <= 7; i++) {
      b.submit(put(i, 10));
    }
    b.submit(put(99, 5000));
    answer(0, 1, 1);
    assertThat(proposed.get(1).getCommandsCount()).isEqualTo(3);
    answer(1, 2, 2);
    assertThat(proposed.get(2).getCommandsCount()).isEqualTo(3);
    answer(2, 5, 3);
    assertThat(proposed.get(3).getCommandsCount()).isEqualTo(1);
    answer(3, 8, 4);
    assertThat(proposed.get(4).getCommands(0).getPut().getKey().toStringUtf8()).isEqualTo("k99");
  }

  @Test
  void aFailedEntryFailsEachOfItsCommandsAndTheNextEntryStillGoes() {
    ProposalBatcher b = batcher(1, 100, 1 << 20);
    CompletableFuture<ProposalBatcher.Outcome> first = b.submit(put(0, 10));
    CompletableFuture<ProposalBatcher.Outcome> second = b.submit(put(1, 10));
    replies.get(0).completeExceptionally(new IllegalStateException("no leader"));
    assertThatThrownBy(first::join).hasMessageContaining("no leader");
    assertThat(proposed).hasSize(2);
    answer(1, 3, 3);
    assertThat(second.join().result().getRevision()).isEqualTo(3);
  }

  @Test
  void upToTheInFlightLimitEntriesGoOutWithoutWaiting() {
    ProposalBatcher b = batcher(3, 100, 1 << 20);
    for (int i = 0; i < 3; i++) {
      b.submit(put(i, 10));
    }
    assertThat(proposed).hasSize(3);
    b.submit(put(3, 10));
    assertThat(proposed).hasSize(3);
    answer(1, 1, 1);
    assertThat(proposed).hasSize(4);
  }
}
