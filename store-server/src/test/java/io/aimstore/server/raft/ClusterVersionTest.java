package io.aimstore.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.LogEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The leader's choice of the format version to write in, on a fake clock. */
class ClusterVersionTest {
  static final List<String> THREE = List.of("n1", "n2", "n3");
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  /** n1 leads and applies up to version 2 (a release newer than today's). */
  ClusterVersion leader() {
    return new ClusterVersion("n1", 2, nanos::get, Duration.ofSeconds(3));
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aMemberWithALowerMaximumKeepsTheClusterAtItsVersionWhileItIsAMember() {
    ClusterVersion v = leader();
    v.heard("n2", 2);
    v.heard("n3", 1); // still on the older release
    assertThat(v.of(THREE)).isEqualTo(1);
    for (int i = 0; i < 10; i++) { // it keeps answering: the version stays down
      advance(Duration.ofSeconds(1));
      v.heard("n2", 2);
      v.heard("n3", 1);
      assertThat(v.of(THREE)).isEqualTo(1);
    }
    // n3 upgraded (its next answer says so): the new format may be written
    v.heard("n3", 2);
    assertThat(v.of(THREE)).isEqualTo(2);
    // or n3 left the configuration
    v.heard("n3", 1);
    assertThat(v.of(List.of("n1", "n2"))).isEqualTo(2);
  }

  @Test
  void aMemberNotHeardFromCountsAsTheFirstVersion() {
    ClusterVersion v = leader();
    v.heard("n2", 2);
    assertThat(v.of(THREE)).as("n3 never answered").isEqualTo(FormatVersion.FIRST);
    assertThat(v.of(List.of("n1", "n2"))).isEqualTo(2);
    // a member added to the configuration is unknown until it answers
    v.heard("n3", 2);
    assertThat(v.of(List.of("n1", "n2", "n3", "n4"))).isEqualTo(FormatVersion.FIRST);
  }

  @Test
  void anAnswerCountsOnlyWhileFresh() {
    ClusterVersion v = leader();
    v.heard("n2", 2);
    v.heard("n3", 2);
    advance(Duration.ofSeconds(3));
    assertThat(v.of(THREE)).isEqualTo(2);
    advance(Duration.ofMillis(1));
    // n3 may be restarting with another release: stale answers do not count
    v.heard("n2", 2);
    assertThat(v.maxOf("n3")).isEqualTo(FormatVersion.FIRST);
    assertThat(v.of(THREE)).isEqualTo(FormatVersion.FIRST);
  }

  @Test
  void aFailedQuestionOrAStepDownForgetsAtOnce() {
    ClusterVersion v = leader();
    v.heard("n2", 2);
    v.heard("n3", 2);
    v.lost("n3");
    assertThat(v.of(THREE)).isEqualTo(FormatVersion.FIRST);
    v.heard("n3", 2);
    v.forget();
    assertThat(v.of(THREE)).isEqualTo(FormatVersion.FIRST);
  }

  @Test
  void neverAboveWhatThisMemberApplies() {
    ClusterVersion v = new ClusterVersion("n1", 1, nanos::get, Duration.ofSeconds(3));
    v.heard("n2", 5);
    v.heard("n3", 5);
    assertThat(v.of(THREE)).isEqualTo(1);
    assertThat(v.of(List.of())).isEqualTo(1);
    assertThatThrownBy(() -> new ClusterVersion("n1", 0, nanos::get, Duration.ofSeconds(3)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAnswerOfZeroIsTheFirstVersion() {
    ClusterVersion v = leader();
    v.heard("n2", 0); // a member of a release before versions: its status has no such field
    v.heard("n3", 2);
    assertThat(v.maxOf("n2")).isEqualTo(FormatVersion.FIRST);
    assertThat(v.of(THREE)).isEqualTo(FormatVersion.FIRST);
  }

  @Test
  void anEntryWithoutAVersionIsTheFirstAndAStampSetsIt() throws Exception {
    LogEntry entry =
        LogEntry.newBuilder()
            .addCommands(
                Command.newBuilder()
                    .setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/k"))))
            .build();
    assertThat(FormatVersion.of(entry)).isEqualTo(FormatVersion.FIRST);
    LogEntry stamped =
        LogEntry.parseFrom(
            ByteString.copyFrom(entry.toByteArray())
                .concat(ByteString.copyFrom(LeaderTime.encode(42)))
                .concat(ByteString.copyFrom(FormatVersion.encode(2)))
                .toByteArray());
    assertThat(FormatVersion.of(stamped)).isEqualTo(2);
    assertThat(stamped.getLeaderTimeMs()).isEqualTo(42);
    assertThat(stamped.toBuilder().clearFormatVersion().clearLeaderTimeMs().build())
        .isEqualTo(entry);
  }
}
