package io.aimstore.server.raft;

import io.aimstore.server.storage.DamagedFileException;
import java.nio.file.Path;

/** A Raft log segment is damaged (see {@link RaftLogCheck}): one line naming it and what to do. */
public final class RaftLogDamagedException extends DamagedFileException {
  public RaftLogDamagedException(Path segment, String why) {
    super("Raft log segment", segment, why);
  }
}
