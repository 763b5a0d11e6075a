package io.aimstore.server.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of this member's data failed its checksum (a Raft snapshot file, a Raft log segment, a
 * RocksDB table file): the member must not start from it. The message is one line that names the
 * file, says what is wrong and how to rebuild the member from the others.
 */
public class DamagedFileException extends IOException {
  private final Path file;

  /**
   * @param kind what the file is ("snapshot file", "Raft log segment", "RocksDB file")
   * @param why what is wrong with it, in a few words
   */
  public DamagedFileException(String kind, Path file, String why) {
    super(
        kind
            + " "
            + file
            + " is damaged: "
            + why
            + "; this member will not start from it: move its data dir away and start it empty"
            + " to rebuild it from the other members (docs/operations.md, 'Corruption')");
    this.file = file;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** The first {@link DamagedFileException} in {@code t}'s chain of causes, or null. */
  public static DamagedFileException in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof DamagedFileException d) {
        return d;
      }
    }
    return null;
  }
}
