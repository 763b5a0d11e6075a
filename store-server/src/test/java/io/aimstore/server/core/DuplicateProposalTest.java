package io.aimstore.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.internal.LogEntry;
import io.aimstore.internal.ProposalId;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proposal that reaches the log twice (a leader stepped down after replicating it and the
 * proposer sent it again) takes effect once, on every member, across restarts.
 */
class DuplicateProposalTest extends CoreTest {
  private LogEntry entry(long sequence, String key, String value) {
    return LogEntry.newBuilder()
        .addCommands(h.putCmd(key, value))
        .setProposalId(ProposalId.newBuilder().setOrigin(77).setSequence(sequence))
        .build();
  }

  @Test
  void theSecondCopyAppliesNothingAndNamesTheFirst() {
    LogEntry first = entry(1, "k", "old");
    assertThat(h.store().apply(first, 3, 1).results()).hasSize(1);
    assertThat(h.store().apply(entry(2, "k", "new"), 3, 2).results()).hasSize(1);

    ApplyResult again = h.store().apply(first, 4, 3);

    assertThat(again.duplicateOf()).isEqualTo(1);
    assertThat(again.results()).isEmpty();
    assertThat(again.events()).isEmpty();
    assertThat(again.toProto().getDuplicateOf()).isEqualTo(1);
    assertThat(h.store().appliedIndex()).isEqualTo(3);
    assertThat(h.revision()).isEqualTo(2);
    assertThat(h.get("k").getValue().toStringUtf8())
        .as("the later acknowledged write is not overwritten by the repeated one")
        .isEqualTo("new");
  }

  @Test
  void aRestartedMemberMakesTheSameDecision() {
    LogEntry first = entry(1, "k", "v");
    h.store().apply(first, 3, 1);
    h.reopen();

    assertThat(h.store().apply(first, 4, 2).duplicateOf()).isEqualTo(1);
    assertThat(h.revision()).isEqualTo(1);
  }

  @Test
  void entriesWithoutAnIdAreAlwaysApplied() {
    LogEntry plain = LogEntry.newBuilder().addCommands(h.putCmd("k", "v")).build();
    h.store().apply(plain, 3, 1);
    assertThat(h.store().apply(plain, 3, 2).duplicateOf()).isZero();
    assertThat(h.revision()).isEqualTo(2);
  }

  @Test
  void idsAreForgottenOutsideTheWindowOnDiskToo() {
    LogEntry first = entry(1, "k", "v");
    h.store().apply(first, 3, 1);
    h.store().apply(entry(2, "k", "w"), 3, 1 + AppliedProposals.WINDOW);
    h.reopen();

    assertThat(h.store().apply(first, 3, 2 + AppliedProposals.WINDOW).duplicateOf())
        .as("an id older than the window is applied again, on every member alike")
        .isZero();
    assertThat(h.revision()).isEqualTo(3);
  }

  @Test
  void aMemberRestoredFromASnapshotMakesTheSameDecision(@TempDir Path other) throws Exception {
    LogEntry first = entry(1, "k", "v");
    h.store().apply(first, 3, 1);
    Path checkpoint = other.resolve("checkpoint");
    h.backend().checkpoint(checkpoint);
    try (CoreHarness restored = CoreHarness.open(checkpoint)) {
      assertThat(restored.store().apply(first, 4, 2).duplicateOf()).isEqualTo(1);
      assertThat(restored.revision()).isEqualTo(1);
    }
  }
}
