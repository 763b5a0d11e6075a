package io.aimstore.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A member's data directory: {@code raft/} (Ratis log and snapshots), {@code kv/} (the keyspace),
 * {@code identity} (which cluster and member it belongs to) and {@code LOCK} (held while a process
 * uses it). Refuses a directory that belongs to another cluster or member, or that another process
 * is using.
 */
final class DataDirectory implements AutoCloseable {
  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  static DataDirectory open(Path root, String cluster, String member) throws ConfigException {
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
    String expected = "cluster=" + cluster + "\nmember=" + member + "\n";
    Path identity = root.resolve("identity");
    try {
      if (Files.exists(identity)) {
        String found = Files.readString(identity, StandardCharsets.UTF_8);
        if (!found.equals(expected)) {
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
      } else {
        if (Files.exists(root.resolve("kv")) || Files.exists(root.resolve("raft"))) {
          throw new ConfigException(
              "data dir "
                  + root
                  + " holds data but no identity file; refusing to guess whose it is");
        }
        Files.writeString(identity, expected, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read or write " + identity + ": " + e);
    }
    return new DataDirectory(root, ch, lock);
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
