package io.aimstore.server.raft;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots in Ratis' state-machine directory ({@code <raft storage>/<group>/sm}): each is a
 * RocksDB checkpoint in {@code snapshot.<term>_<index>/}. Ratis ships all files of the latest one
 * to a member that needs it, and replaces the whole directory when it installs one.
 */
final class SnapshotDirectory implements StateMachineStorage {
  private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  private static final int KEEP = 2;

  private volatile Path dir;
  private volatile SnapshotInfo latest;

  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    this.dir = raftStorage.getStorageDir().getStateMachineDir().toPath();
    Files.createDirectories(dir);
    refresh();
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return latest;
  }

  @Override
  public void format() {}

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
    prune();
  }

  /** Where a snapshot at {@code ti} goes (the directory does not exist yet). */
  Path pathFor(TermIndex ti) {
    return dir.resolve("snapshot." + ti.getTerm() + "_" + ti.getIndex());
  }

  /** Directory of the latest snapshot, if any. */
  Optional<Path> latestPath() {
    SnapshotInfo s = latest;
    return s == null ? Optional.empty() : Optional.of(pathFor(s.getTermIndex()));
  }

  /** The latest snapshot in a state-machine directory, if any. */
  static Optional<Path> latestIn(Path smDir) throws IOException {
    Path best = null;
    TermIndex bestTi = null;
    if (Files.isDirectory(smDir)) {
      try (Stream<Path> entries = Files.list(smDir)) {
        for (Path p : (Iterable<Path>) entries::iterator) {
          TermIndex ti = parse(p);
          if (ti != null && (bestTi == null || ti.compareTo(bestTi) > 0)) {
            best = p;
            bestTi = ti;
          }
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Rescans the directory (after a snapshot was taken or installed). */
  void refresh() throws IOException {
    Path best = latestIn(dir).orElse(null);
    if (best == null) {
      latest = null;
      return;
    }
    TermIndex bestTi = parse(best);
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(best)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(f) && !f.toString().endsWith(".md5")) {
          files.add(new FileInfo(f.toAbsolutePath(), null));
        }
      }
    }
    latest = new FileListSnapshotInfo(files, bestTi);
  }

  /** Deletes all but the newest snapshots. */
  synchronized void prune() {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> snapshots =
          entries
              .filter(p -> parse(p) != null)
              .sorted(Comparator.comparing(SnapshotDirectory::parse).reversed())
              .toList();
      for (Path old : snapshots.subList(Math.min(KEEP, snapshots.size()), snapshots.size())) {
        deleteRecursively(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TermIndex parse(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    if (!m.matches() || !Files.isDirectory(p)) {
      return null;
    }
    return TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  /** The file in a snapshot that records the store's applied index at the checkpoint. */
  static final String APPLIED_FILE = "aimstore-applied-index";

  /** The file in a snapshot that records the store's revisions at the checkpoint. */
  static final String INFO_FILE = "aimstore-snapshot-info";

  /** Records in {@code snapshot} the store's revision and compact revision it holds. */
  static void writeInfo(Path snapshot, long revision, long compactRevision) throws IOException {
    Files.writeString(
        snapshot.resolve(INFO_FILE),
        "revision=" + revision + "\ncompact-revision=" + compactRevision + "\n");
  }

  /**
   * Links the files of the latest snapshot into {@code into} (created; copies where links cannot be
   * made), so that they outlive the snapshot being pruned.
   *
   * @throws IOException when there is no snapshot, or it records no revisions (taken by an older
   *     version)
   */
  synchronized SnapshotExport exportLatest(Path into) throws IOException {
    SnapshotInfo s = latest;
    if (s == null) {
      throw new IOException("this member has no snapshot");
    }
    Path snapshot = pathFor(s.getTermIndex());
    java.util.Properties info = new java.util.Properties();
    try (var r = Files.newBufferedReader(snapshot.resolve(INFO_FILE))) {
      info.load(r);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException(
          "snapshot " + snapshot.getFileName() + " records no revision (an older member took it)");
    }
    Files.createDirectories(into);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(snapshot)) {
      for (Path f : list.sorted().toList()) {
        String name = f.getFileName().toString();
        if (!Files.isRegularFile(f) || !isCheckpointFile(name)) {
          continue;
        }
        Path dst = into.resolve(name);
        try {
          Files.createLink(dst, f);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(f, dst);
        }
        files.add(dst);
      }
    }
    return new SnapshotExport(
        into,
        files,
        s.getTerm(),
        s.getIndex(),
        Long.parseLong(info.getProperty("revision", "0").strip()),
        Long.parseLong(info.getProperty("compact-revision", "0").strip()));
  }

  /** Whether a file of a snapshot is part of the RocksDB checkpoint (not aimstore's own). */
  static boolean isCheckpointFile(String name) {
    return !name.endsWith(".md5")
        && !name.equals(APPLIED_FILE)
        && !name.equals(INFO_FILE)
        && !name.startsWith(SnapshotChecksums.FILE);
  }

  /** Records in {@code snapshot} the store's applied index it holds. */
  static void writeAppliedIndex(Path snapshot, long index) throws IOException {
    Files.writeString(snapshot.resolve(APPLIED_FILE), Long.toString(index));
  }

  /** The store's applied index a snapshot holds; -1 when it does not say. */
  static long appliedIndexOf(Path snapshot) {
    try {
      return Long.parseLong(Files.readString(snapshot.resolve(APPLIED_FILE)).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Replaces {@code target} with a copy of a snapshot, so that a crash at any point leaves either
   * the old store, the new one, or none (which the next start restores again): the copy is built
   * beside the target and swapped in by renames. Table files (.sst) never change once written, so
   * they are hard-linked; everything else (MANIFEST, CURRENT, OPTIONS, logs) is copied, because the
   * database opened on the copy may append to it.
   */
  static void restore(Path snapshot, Path target) throws IOException {
    Path tmp = sibling(target, ".restoring");
    Path old = sibling(target, ".replaced");
    deleteRecursively(tmp);
    Files.createDirectories(tmp);
    try (Stream<Path> files = Files.list(snapshot)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (!isCheckpointFile(name)) {
          continue;
        }
        Path dst = tmp.resolve(name);
        if (name.endsWith(".sst")) {
          try {
            Files.createLink(dst, f);
            continue;
          } catch (IOException | UnsupportedOperationException e) {
            // another file system: fall through to a copy
          }
        }
        Files.copy(f, dst);
      }
    }
    deleteRecursively(old);
    if (Files.exists(target)) {
      Files.move(target, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    deleteRecursively(old);
  }

  /** Removes what an interrupted {@link #restore} left beside {@code target}. */
  static void cleanUpRestore(Path target) throws IOException {
    deleteRecursively(sibling(target, ".restoring"));
    deleteRecursively(sibling(target, ".replaced"));
  }

  private static Path sibling(Path target, String suffix) {
    return target.resolveSibling(target.getFileName() + suffix);
  }

  @Override
  public File getSnapshotDir() {
    return null;
  }
}
