package io.aimstore.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.LogEntry;
import io.aimstore.internal.ProposalId;
import org.junit.jupiter.api.Test;

class LeaderTimeTest {
  private static final LogEntry ENTRY =
      LogEntry.newBuilder()
          .addCommands(
              Command.newBuilder()
                  .setPut(
                      PutRequest.newBuilder()
                          .setKey(ByteString.copyFromUtf8("/k"))
                          .setValue(ByteString.copyFromUtf8("v"))))
          .setProposalId(ProposalId.newBuilder().setOrigin(7).setSequence(9))
          .build();

  @Test
  void appendedToAnEntrysBytesItStampsTheEntryAndChangesNothingElse() throws Exception {
    byte[] stamped =
        ByteString.copyFrom(ENTRY.toByteArray())
            .concat(ByteString.copyFrom(LeaderTime.encode(1_764_000_000_123L)))
            .toByteArray();
    LogEntry parsed = LogEntry.parseFrom(stamped);
    assertThat(parsed.getLeaderTimeMs()).isEqualTo(1_764_000_000_123L);
    assertThat(parsed.toBuilder().clearLeaderTimeMs().build()).isEqualTo(ENTRY);
  }

  @Test
  void aSecondStampWins() throws Exception {
    byte[] twice =
        ByteString.copyFrom(ENTRY.toBuilder().setLeaderTimeMs(5).build().toByteArray())
            .concat(ByteString.copyFrom(LeaderTime.encode(6)))
            .toByteArray();
    assertThat(LogEntry.parseFrom(twice).getLeaderTimeMs()).isEqualTo(6);
  }
}
