package io.aimstore.server.raft;

import java.io.IOException;
import java.nio.file.Path;

/** A file of a Raft snapshot is damaged: the message is one line naming it and what to do. */
public final class SnapshotDamagedException extends IOException {
  public SnapshotDamagedException(Path file, String why) {
    super(
        "snapshot file "
            + file
            + " is damaged: "
            + why
            + "; this member will not start from it: move its data dir away and start it empty"
            + " to rebuild it from the other members");
  }
}
