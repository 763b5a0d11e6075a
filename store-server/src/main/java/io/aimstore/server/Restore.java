package io.aimstore.server;

import io.aimstore.api.SnapshotFile;
import io.aimstore.api.v1.SnapshotMetadata;
import io.aimstore.server.api.ClusterView;
import io.aimstore.server.core.Limits;
import io.aimstore.server.core.Store;
import io.aimstore.server.raft.SeededSnapshot;
import io.aimstore.server.storage.RocksBackend;
import io.aimstore.server.storage.StorageOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code aimstore restore FILE --data-dir DIR --name NAME --initial-cluster n1,n2,n3}: seeds a
 * member's data directory from a snapshot file, for a NEW cluster (docs/operations.md, "Backup and
 * restore").
 *
 * <p>The data directory gets the snapshot's keyspace, detached from the old cluster's Raft log
 * ({@link Store#detachFromLog}), a Raft snapshot of it that the new log starts after ({@link
 * SeededSnapshot}), and an identity with a cluster token: a digest of the snapshot's checksum, the
 * member names of {@code --initial-cluster} and {@code --initial-cluster-token}. Every member
 * restored from the same file with the same names and token gets the same token, so they form one
 * Raft group — one that no member of the old cluster (or of another restore) belongs to. The Raft
 * log starts empty; the keyspace keeps its revisions, leases, locks, roles and audit log.
 */
public final class Restore {
  private Restore() {}

  /**
   * What to restore where.
   *
   * @param cluster the restored cluster's name; null: the snapshot's
   * @param initialClusterToken tells apart restores of the same file with the same members; may be
   *     empty
   */
  public record Request(
      Path file,
      Path dataDir,
      String name,
      List<String> initialCluster,
      String cluster,
      String initialClusterToken) {}

  /**
   * What a restore did.
   *
   * @param clusterToken the token in the member's identity (the same for every member restored
   *     alike)
   * @param clusterId the restored cluster's id, as its response headers will carry it
   */
  public record Result(
      SnapshotMetadata snapshot,
      String sha256,
      String cluster,
      String clusterToken,
      long clusterId) {}

  /** Runs the command line; returns the exit code (0, 2: fix the command or the file, 1). */
  public static int main(String[] args, PrintStream out, PrintStream err) {
    Request req;
    try {
      req = parse(args);
    } catch (ConfigException e) {
      err.println("aimstore restore: " + e.getMessage());
      err.println(
          "usage: aimstore restore FILE --data-dir DIR --name NAME --initial-cluster n1,n2,n3"
              + " [--cluster NAME] [--initial-cluster-token TEXT]");
      return 2;
    }
    try {
      Result r = run(req);
      SnapshotMetadata m = r.snapshot();
      out.printf(
          "restored revision %d of cluster %s (snapshot of %s at %s, sha256 %s) into %s%n",
          m.getRevision(),
          m.getClusterName(),
          m.getMember(),
          Instant.ofEpochMilli(m.getCreatedAtMs()),
          r.sha256(),
          req.dataDir());
      out.printf(
          "member %s of a NEW cluster %s: cluster id %016x, cluster token %s;"
              + " restore every member of %s from this file alike, add 'cluster-token = %s' to"
              + " every member's configuration, then start them%n",
          req.name(),
          r.cluster(),
          r.clusterId(),
          r.clusterToken(),
          String.join(",", members(req)),
          r.clusterToken());
      return 0;
    } catch (ConfigException | SnapshotFile.DamagedException e) {
      err.println("aimstore restore: " + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("aimstore restore: failed: " + e);
      return 1;
    }
  }

  /** Restores {@code req.file()} into {@code req.dataDir()}. */
  public static Result run(Request req) throws ConfigException, IOException {
    Set<String> members = members(req);
    if (!members.contains(req.name())) {
      throw new ConfigException(
          "--name " + req.name() + " is not in --initial-cluster " + String.join(",", members));
    }
    SnapshotFile.Contents contents = SnapshotFile.verify(req.file());
    SnapshotMetadata meta = contents.metadata();
    String cluster =
        req.cluster() == null || req.cluster().isBlank() ? meta.getClusterName() : req.cluster();
    Path dir = req.dataDir();
    Files.createDirectories(dir);
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new ConfigException(
            "data dir "
                + dir
                + " is not empty; restore only into a new directory (move the old one away first)");
      }
    }
    String token = token(contents.sha256(), members, req.initialClusterToken());
    String clusterKey = DataDirectory.clusterKey(cluster, token);
    // the new log goes on after the snapshot's index (a number, no longer an entry of any log)
    long index = Math.max(1, meta.getRaftIndex());
    Path staging = dir.resolve("kv.restoring");
    Path raft = dir.resolve("raft");
    try {
      SnapshotFile.extract(req.file(), staging);
      try (RocksBackend backend = RocksBackend.open(staging, StorageOptions.DEFAULT)) {
        Store store = new Store(backend, Limits.DEFAULT);
        long revision = store.revision();
        if (revision != meta.getRevision()) {
          throw new SnapshotFile.DamagedException(
              req.file(),
              "its metadata says revision " + meta.getRevision() + ", its keyspace " + revision);
        }
        Store.detachFromLog(backend, SeededSnapshot.TERM, index);
        SeededSnapshot.seed(raft, clusterKey, backend, index, revision, store.compactRevision());
      }
    } catch (IOException | RuntimeException e) {
      deleteRecursively(staging); // leave the directory empty, as it was
      deleteRecursively(raft);
      throw e;
    }
    Files.move(staging, dir.resolve("kv"));
    DataDirectory.writeRestoredIdentity(dir, cluster, req.name(), token);
    long clusterId = new ClusterView(clusterKey, req.name(), Map.of()).clusterId();
    return new Result(meta, contents.sha256(), cluster, token, clusterId);
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  private static Set<String> members(Request req) {
    return new TreeSet<>(req.initialCluster());
  }

  /** The same for every member restored from one file with the same names and token. */
  static String token(String sha256, Set<String> sortedMembers, String initialClusterToken) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      String input =
          "aimstore-restore\n"
              + sha256
              + "\n"
              + String.join(",", sortedMembers)
              + "\n"
              + (initialClusterToken == null ? "" : initialClusterToken);
      return HexFormat.of().formatHex(md.digest(input.getBytes(StandardCharsets.UTF_8)), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Request parse(String[] args) throws ConfigException {
    List<Path> file = new ArrayList<>(); // the one snapshot FILE
    Map<String, String> flags = new LinkedHashMap<>();
    Set<String> known =
        Set.of("data-dir", "name", "initial-cluster", "cluster", "initial-cluster-token");
    Flags.read(
        args,
        new Flags.Handler() {
          @Override
          public void flag(String key, String value) throws ConfigException {
            if (!known.contains(key)) {
              throw new ConfigException("unknown flag --" + key);
            }
            flags.put(key, value);
          }

          @Override
          public void argument(String arg) throws ConfigException {
            if (!file.isEmpty()) {
              throw new ConfigException("unexpected argument '" + arg + "' (one snapshot FILE)");
            }
            file.add(Path.of(arg));
          }
        });
    if (file.isEmpty()) {
      throw new ConfigException("no snapshot FILE given");
    }
    for (String required : List.of("data-dir", "name", "initial-cluster")) {
      if (flags.getOrDefault(required, "").isBlank()) {
        throw new ConfigException("missing --" + required);
      }
    }
    List<String> members = new ArrayList<>();
    for (String m : flags.get("initial-cluster").split(",")) {
      String name = m.strip();
      if (name.isEmpty() || name.contains("=") || name.contains("@")) {
        throw new ConfigException(
            "--initial-cluster takes member names separated by commas (n1,n2,n3), got '"
                + flags.get("initial-cluster")
                + "'; addresses come from each member's configuration");
      }
      members.add(name);
    }
    return new Request(
        file.get(0),
        Path.of(flags.get("data-dir")),
        flags.get("name"),
        members,
        flags.get("cluster"),
        flags.getOrDefault("initial-cluster-token", ""));
  }
}
