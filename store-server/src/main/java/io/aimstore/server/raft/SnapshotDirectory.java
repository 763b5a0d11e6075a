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

  /** Rescans the directory (after a snapshot was taken or installed). */
  void refresh() throws IOException {
    Path best = null;
    TermIndex bestTi = null;
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path p : (Iterable<Path>) entries::iterator) {
          TermIndex ti = parse(p);
          if (ti != null && (bestTi == null || ti.compareTo(bestTi) > 0)) {
            best = p;
            bestTi = ti;
          }
        }
      }
    }
    if (best == null) {
      latest = null;
      return;
    }
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
  void prune() {
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

  /**
   * Copies a snapshot into an empty directory. Table files (.sst) never change once written, so
   * they are hard-linked; everything else (MANIFEST, CURRENT, OPTIONS, logs) is copied, because the
   * database opened on the copy may append to it.
   */
  static void restore(Path snapshot, Path target) throws IOException {
    deleteRecursively(target);
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(snapshot)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.toString().endsWith(".md5")) {
          continue;
        }
        Path dst = target.resolve(f.getFileName().toString());
        if (f.toString().endsWith(".sst")) {
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
  }

  @Override
  public File getSnapshotDir() {
    return null;
  }
}
