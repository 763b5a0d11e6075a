package io.aimstore.server.raft;

import com.google.protobuf.CodedOutputStream;
import io.aimstore.internal.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The encoding of {@code LogEntry.leader_time_ms} on its own. Protobuf reads concatenated messages
 * as one (a later scalar field wins), so appending these bytes to a serialized {@link LogEntry}
 * stamps it with the leader's time without parsing it.
 */
final class LeaderTime {
  private LeaderTime() {}

  static byte[] encode(long timeMs) {
    byte[] out =
        new byte[CodedOutputStream.computeInt64Size(LogEntry.LEADER_TIME_MS_FIELD_NUMBER, timeMs)];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeInt64(LogEntry.LEADER_TIME_MS_FIELD_NUMBER, timeMs);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
