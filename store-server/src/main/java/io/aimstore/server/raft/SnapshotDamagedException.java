package io.aimstore.server.raft;

import io.aimstore.server.storage.DamagedFileException;
import java.nio.file.Path;

/** A file of a Raft snapshot is damaged: the message is one line naming it and what to do. */
public final class SnapshotDamagedException extends DamagedFileException {
  public SnapshotDamagedException(Path file, String why) {
    super("snapshot file", file, why);
  }
}
