package io.aimstore.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A member's data directory: {@code raft/} (Ratis log and snapshots), {@code kv/} (the keyspace),
 * {@code identity} (which cluster and member it belongs to; for a restored cluster also its token),
 * {@code exports/} (snapshots being streamed to a backup) and {@code LOCK} (held while a process
 * uses it). Refuses a directory that belongs to another cluster or member, or that another process
 * is using.
 */
final class DataDirectory implements AutoCloseable {
  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final String clusterToken;

  /** The identity line of a cluster restored from a snapshot (see {@link #clusterKey}). */
  static final String TOKEN = "cluster-token";

  private DataDirectory(Path root, FileChannel lockChannel, FileLock lock, String clusterToken) {
    this.root = root;
    this.clusterToken = clusterToken;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  static DataDirectory open(Path root, String cluster, String member) throws ConfigException {
    return open(root, cluster, member, null);
  }

  /**
   * Opens {@code root} for {@code member} of {@code cluster}; {@code clusterToken} is the
   * configured token of a restored cluster (null: none configured). A data dir restored with a
   * token is the only kind a member configured with that token accepts, and a member configured
   * with none takes the token from the data dir.
   */
  static DataDirectory open(Path root, String cluster, String member, String clusterToken)
      throws ConfigException {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new ConfigException("cannot create data dir " + root + ": " + e);
    }
    if (!Files.isDirectory(root) || !Files.isWritable(root)) {
      throw new ConfigException("data dir " + root + " is not a writable directory");
    }
    FileChannel ch;
    FileLock lock;
    try {
      ch =
          FileChannel.open(
              root.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // this very process holds it already
      }
    } catch (IOException e) {
      throw new ConfigException("cannot lock data dir " + root + ": " + e);
    }
    if (lock == null) {
      closeQuietly(ch);
      throw new ConfigException(
          "data dir "
              + root
              + " is in use by another aimstore process; stop it or use another --data-dir");
    }
    Path identity = root.resolve("identity");
    String token;
    try {
      if (Files.exists(identity)) {
        String found = Files.readString(identity, StandardCharsets.UTF_8);
        Map<String, String> fields = parseIdentity(found);
        if (!cluster.equals(fields.get("cluster")) || !member.equals(fields.get("member"))) {
          lock.release();
          ch.close();
          throw new ConfigException(
              "data dir "
                  + root
                  + " belongs to "
                  + found.strip().replace('\n', ' ')
                  + ", not to cluster="
                  + cluster
                  + " member="
                  + member
                  + "; point --data-dir elsewhere, or wipe it if its data is no longer needed");
        }
        token = fields.get(TOKEN);
        if (clusterToken != null && !clusterToken.equals(token)) {
          lock.release();
          ch.close();
          throw new ConfigException(
              "data dir "
                  + root
                  + (token == null
                      ? " belongs to cluster " + cluster + " as it was before it was restored"
                      : " belongs to the cluster restored with token " + token)
                  + ", not to the one with cluster-token "
                  + clusterToken
                  + "; it cannot join: move it away and start this member empty to rebuild it"
                  + " from the others");
        }
      } else {
        if (Files.exists(root.resolve("kv")) || Files.exists(root.resolve("raft"))) {
          throw new ConfigException(
              "data dir "
                  + root
                  + " holds data but no identity file; refusing to guess whose it is"
                  + " (an interrupted 'aimstore restore' leaves this: delete it and restore again)");
        }
        Files.writeString(
            identity, identityText(cluster, member, clusterToken), StandardCharsets.UTF_8);
        token = clusterToken;
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read or write " + identity + ": " + e);
    }
    return new DataDirectory(root, ch, lock, token);
  }

  /**
   * Seeds {@code root} for a member of a cluster restored from a snapshot: writes the identity that
   * {@link #open} then accepts. The keyspace must already be in {@code kv/}.
   */
  static void writeRestoredIdentity(Path root, String cluster, String member, String token)
      throws IOException {
    Path tmp = root.resolve("identity.tmp");
    Files.writeString(tmp, identityText(cluster, member, token), StandardCharsets.UTF_8);
    Files.move(tmp, root.resolve("identity"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String identityText(String cluster, String member, String token) {
    return "cluster="
        + cluster
        + "\nmember="
        + member
        + "\n"
        + (token == null ? "" : TOKEN + "=" + token + "\n");
  }

  private static Map<String, String> parseIdentity(String text) {
    Map<String, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
    }
    return out;
  }

  /**
   * What tells this cluster from every other: its name, and for a cluster restored from a snapshot
   * the token the restore chose. The Raft group id and the cluster id in response headers derive
   * from it, so a member of another cluster of the same name — the one a snapshot was taken of —
   * cannot join.
   */
  String clusterKey(String cluster) {
    return clusterKey(cluster, clusterToken);
  }

  /** The cluster key of a cluster of this name, restored with this token (null: never restored). */
  static String clusterKey(String cluster, String token) {
    return token == null ? cluster : cluster + "#" + token;
  }

  /** Where snapshots being streamed to a backup are linked (same file system as {@link #raft}). */
  Path exports() {
    return root.resolve("exports");
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing held
    }
  }

  Path raft() {
    return root.resolve("raft");
  }

  Path kv() {
    return root.resolve("kv");
  }

  @Override
  public void close() throws IOException {
    lock.release();
    lockChannel.close();
  }
}
