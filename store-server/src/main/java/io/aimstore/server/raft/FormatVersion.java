package io.aimstore.server.raft;

import com.google.protobuf.CodedOutputStream;
import io.aimstore.internal.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Log-entry format versions ({@code LogEntry.format_version}): which commands and fields apply must
 * understand to apply an entry as its writer meant. A release that adds to what apply decides (a
 * new command, a field that changes an outcome) and must not be applied by an older member raises
 * {@link #CURRENT}; the leader writes it only once every member can apply it (see {@link
 * ClusterVersion}).
 */
public final class FormatVersion {
  /** The first version, and what an entry without a version (written before versions) is. */
  public static final int FIRST = 1;

  /** The highest version this build applies, and writes when every member can apply it. */
  public static final int CURRENT = 1;

  private FormatVersion() {}

  /** The version {@code entry} is written in. */
  public static int of(LogEntry entry) {
    return Math.max(FIRST, entry.getFormatVersion());
  }

  /**
   * The encoding of {@code LogEntry.format_version} on its own: appended to a serialized entry, it
   * sets the field without parsing the entry (as {@link LeaderTime} does for the time).
   */
  static byte[] encode(int version) {
    byte[] out =
        new byte
            [CodedOutputStream.computeUInt32Size(LogEntry.FORMAT_VERSION_FIELD_NUMBER, version)];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeUInt32(LogEntry.FORMAT_VERSION_FIELD_NUMBER, version);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
