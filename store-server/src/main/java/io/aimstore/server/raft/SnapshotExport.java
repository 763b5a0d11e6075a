package io.aimstore.server.raft;

import java.nio.file.Path;
import java.util.List;

/**
 * A copy of a Raft snapshot made for a backup (links to its files, in a directory of the caller's,
 * who deletes it when done).
 *
 * @param dir the directory holding the copy
 * @param files the RocksDB checkpoint's files, sorted by name
 * @param term the Raft term of the last entry the snapshot holds
 * @param index the log index of that entry
 * @param revision the store's revision in the snapshot
 * @param compactRevision the store's compact revision in the snapshot
 */
public record SnapshotExport(
    Path dir, List<Path> files, long term, long index, long revision, long compactRevision) {
  public SnapshotExport {
    files = List.copyOf(files);
  }
}
