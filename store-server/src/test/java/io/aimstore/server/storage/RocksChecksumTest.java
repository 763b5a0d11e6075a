package io.aimstore.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flipped byte in a RocksDB table file is found by the check at start, naming the file. */
class RocksChecksumTest {
  @TempDir Path dir;

  /** A store whose data is in table files (a checkpoint flushes the memtables). */
  private Path storeWithTableFiles() throws Exception {
    Path live = dir.resolve("live");
    Path files = dir.resolve("files");
    try (RocksBackend be = RocksBackend.open(live, StorageOptions.DEFAULT)) {
      try (Batch batch = be.beginBatch()) {
        for (int i = 0; i < 2000; i++) {
          batch.put(
              Table.KV,
              ("key-" + i).getBytes(StandardCharsets.UTF_8),
              ("value-" + i + "-".repeat(100)).getBytes(StandardCharsets.UTF_8));
        }
        batch.commit(1, 1);
      }
      be.checkpoint(files);
    }
    return files;
  }

  private static Path largestTableFile(Path store) throws Exception {
    try (Stream<Path> s = Files.list(store)) {
      return s.filter(p -> p.toString().endsWith(".sst"))
          .max(java.util.Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow();
    }
  }

  @Test
  void intactFilesPass() throws Exception {
    try (RocksBackend be = RocksBackend.open(storeWithTableFiles(), StorageOptions.DEFAULT)) {
      be.verifyChecksums();
      assertThat(be.appliedIndex()).isEqualTo(1);
    }
  }

  @Test
  void aFlippedByteInADataBlockIsRefusedNamingTheFile() throws Exception {
    Path store = storeWithTableFiles();
    Path sst = largestTableFile(store);
    byte[] bytes = Files.readAllBytes(sst);
    bytes[100] ^= 0x20; // the first data block: opening the file does not read it
    Files.write(sst, bytes);
    assertThatThrownBy(
            () -> {
              try (RocksBackend be = RocksBackend.open(store, StorageOptions.DEFAULT)) {
                be.verifyChecksums();
              }
            })
        .isInstanceOfSatisfying(
            DamagedFileException.class, e -> assertThat(e.file()).isEqualTo(sst))
        .hasMessageStartingWith("RocksDB file " + sst + " is damaged: ")
        .hasMessageContaining("checksum mismatch")
        .hasMessageNotContaining("\n");
  }
}
