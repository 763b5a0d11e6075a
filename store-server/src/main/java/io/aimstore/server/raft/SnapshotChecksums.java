package io.aimstore.server.raft;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The SHA-256 of every file of a Raft snapshot, in {@value #FILE} inside it ({@code sha256sum}
 * format: {@code sha256sum -c aimstore-snapshot.sha256} checks it by hand). Written when the
 * snapshot is taken, shipped with it to members that install it, checked before a member starts
 * from it.
 *
 * <p>Table files never change once written and consecutive snapshots hard-link the same ones, so a
 * file that is the same file (same inode) as one of the previous snapshot reuses its checksum: only
 * what is new is read.
 */
final class SnapshotChecksums {
  static final String FILE = "aimstore-snapshot.sha256";

  private SnapshotChecksums() {}

  /** Writes the manifest of {@code snapshot}; {@code previous} (may be null) lends its sums. */
  static void write(Path snapshot, Path previous) throws IOException {
    Map<String, String> known = previous == null ? Map.of() : read(previous);
    StringBuilder out = new StringBuilder();
    for (Path f : files(snapshot)) {
      String name = f.getFileName().toString();
      String sum = known.get(name);
      Path before = previous == null ? null : previous.resolve(name);
      if (sum == null || !Files.exists(before) || !Files.isSameFile(before, f)) {
        sum = sha256(f);
      }
      out.append(sum).append("  ").append(name).append('\n');
    }
    Path tmp = snapshot.resolve(FILE + ".tmp");
    Files.writeString(tmp, out);
    Files.move(tmp, snapshot.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Checks every file the manifest lists, and that no file is missing from it.
   *
   * @throws SnapshotDamagedException naming the first damaged, missing or unlisted file
   */
  static void verify(Path snapshot) throws IOException {
    Map<String, String> sums = read(snapshot);
    if (sums.isEmpty()) {
      return; // taken before snapshots had checksums
    }
    for (Map.Entry<String, String> e : sums.entrySet()) {
      Path f = snapshot.resolve(e.getKey());
      if (!Files.isRegularFile(f)) {
        throw new SnapshotDamagedException(f, "it is missing (" + FILE + " lists it)");
      }
      if (!sha256(f).equals(e.getValue())) {
        throw new SnapshotDamagedException(
            f, "its SHA-256 does not match the one " + FILE + " recorded when it was taken");
      }
    }
    for (Path f : files(snapshot)) {
      if (!sums.containsKey(f.getFileName().toString())) {
        throw new SnapshotDamagedException(f, "it is not listed in " + FILE);
      }
    }
  }

  /** Name → checksum of a snapshot's manifest; empty when it has none. */
  private static Map<String, String> read(Path snapshot) throws IOException {
    Map<String, String> out = new HashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(snapshot.resolve(FILE));
    } catch (NoSuchFileException e) {
      return out;
    }
    for (String line : lines) {
      int sep = line.indexOf("  ");
      if (sep != 64) {
        throw new SnapshotDamagedException(
            snapshot.resolve(FILE), "a line of it is not '<sha256>  <file>'");
      }
      out.put(line.substring(sep + 2), line.substring(0, sep));
    }
    return out;
  }

  /** The files a manifest covers: every regular file of the snapshot but the manifest. */
  private static List<Path> files(Path snapshot) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> list = Files.list(snapshot)) {
      for (Path f : list.sorted().toList()) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f)
            && !name.equals(FILE)
            && !name.equals(FILE + ".tmp")
            && !name.endsWith(".md5")) {
          out.add(f);
        }
      }
    }
    return out;
  }

  static String sha256(Path f) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(f)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
