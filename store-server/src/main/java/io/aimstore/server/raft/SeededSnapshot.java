package io.aimstore.server.raft;

import io.aimstore.server.storage.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * The Raft snapshot a member of a restored cluster starts from. A restored cluster's log must not
 * begin at index 0 with an empty state machine: a member that later starts empty (a replaced disk)
 * would replay that log alone and miss everything the backup held. So restore seeds Ratis' state
 * machine directory with a snapshot of the restored store at {@code (term 1, index)}: Ratis starts
 * the new log after it, and a member that lacks the entries before it is sent the snapshot.
 */
public final class SeededSnapshot {
  /** The term of the seeded snapshot: the new group's first leader is elected in it or later. */
  public static final long TERM = 1;

  private SeededSnapshot() {}

  /**
   * Writes the snapshot into {@code raftDir} (a member's Raft directory, as yet without a group)
   * for the group of {@code clusterKey}: a checkpoint of {@code backend}, whose applied index must
   * already be {@code index}, with its applied index, revisions and checksums.
   */
  public static Path seed(
      Path raftDir,
      String clusterKey,
      Backend backend,
      long index,
      long revision,
      long compactRevision)
      throws IOException {
    Path groupDir = raftDir.resolve(RaftNode.groupId(clusterKey).getUuid().toString());
    Files.createDirectories(groupDir);
    // A formatted storage: Ratis formats (and empties the state machine directory of) one it
    // finds unformatted at start.
    RaftProperties defaults = new RaftProperties();
    Path sm;
    try (RaftStorage storage =
        RaftStorage.newBuilder()
            .setDirectory(groupDir.toFile())
            .setOption(RaftStorage.StartupOption.FORMAT)
            .setLogCorruptionPolicy(RaftServerConfigKeys.Log.corruptionPolicy(defaults))
            .setStorageFreeSpaceMin(RaftServerConfigKeys.storageFreeSpaceMin(defaults))
            .build()) {
      storage.initialize();
      sm = storage.getStorageDir().getStateMachineDir().toPath();
    }
    Files.createDirectories(sm);
    // term 1: Ratis takes a voter whose last entry has term 0 for one with an empty log, and no
    // leader is elected among those
    Path snapshot = sm.resolve("snapshot." + TERM + "_" + index);
    backend.checkpoint(snapshot);
    SnapshotDirectory.writeAppliedIndex(snapshot, index);
    SnapshotDirectory.writeInfo(snapshot, revision, compactRevision);
    SnapshotChecksums.write(snapshot, null);
    return snapshot;
  }
}
