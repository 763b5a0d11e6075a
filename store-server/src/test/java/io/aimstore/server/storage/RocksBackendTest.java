package io.aimstore.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The RocksDB backend: atomic batches with the applied position, snapshots, cursors, reopen. */
class RocksBackendTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] raw(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  static String str(byte[] v) {
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  private static RocksBackend open(Path dir) throws IOException {
    return RocksBackend.open(dir, StorageOptions.DEFAULT);
  }

  private static List<String> keys(Reader r, Table t) {
    List<String> out = new ArrayList<>();
    try (Cursor c = r.cursor(t)) {
      for (c.seekToFirst(); c.isValid(); c.next()) {
        out.add(str(c.key()));
      }
    }
    return out;
  }

  @Test
  void aNewBackendIsEmptyAtIndexZero() throws Exception {
    try (RocksBackend be = open(dir)) {
      assertThat(be.appliedIndex()).isZero();
      assertThat(be.appliedTerm()).isZero();
      assertThat(be.directory()).isEqualTo(dir);
      try (Snapshot s = be.snapshot()) {
        for (Table t : Table.values()) {
          assertThat(keys(s, t)).as(t.name()).isEmpty();
        }
      }
    }
  }

  @Test
  void aBatchSeesItsOwnWritesBeforeCommitAndOthersDoNot() throws Exception {
    try (RocksBackend be = open(dir)) {
      try (Batch batch = be.beginBatch()) {
        batch.put(Table.KV, b("k"), b("v"));
        assertThat(str(batch.get(Table.KV, b("k")))).isEqualTo("v");
        assertThat(keys(batch, Table.KV)).containsExactly("k");
        try (Snapshot s = be.snapshot()) {
          assertThat(s.get(Table.KV, b("k"))).isNull();
        }
        batch.commit(2, 7);
      }
      assertThat(be.appliedIndex()).isEqualTo(7);
      assertThat(be.appliedTerm()).isEqualTo(2);
      try (Snapshot s = be.snapshot()) {
        assertThat(str(s.get(Table.KV, b("k")))).isEqualTo("v");
      }
    }
  }

  @Test
  void aBatchClosedWithoutCommitLeavesNoTrace() throws Exception {
    try (RocksBackend be = open(dir)) {
      try (Batch batch = be.beginBatch()) {
        batch.put(Table.KV, b("keep"), b("1"));
        batch.commit(1, 1);
      }
      try (Batch batch = be.beginBatch()) {
        batch.put(Table.KV, b("lost"), b("1"));
        batch.delete(Table.KV, b("keep"));
      }
      assertThat(be.appliedIndex()).isEqualTo(1);
      try (Snapshot s = be.snapshot()) {
        assertThat(keys(s, Table.KV)).containsExactly("keep");
      }
    }
  }

  @Test
  void snapshotsAreIsolatedFromLaterCommits() throws Exception {
    try (RocksBackend be = open(dir)) {
      try (Batch batch = be.beginBatch()) {
        batch.put(Table.KV, b("a"), b("1"));
        batch.commit(1, 1);
      }
      try (Snapshot before = be.snapshot()) {
        try (Batch batch = be.beginBatch()) {
          batch.put(Table.KV, b("a"), b("2"));
          batch.put(Table.KV, b("b"), b("2"));
          batch.put(Table.META, b("x"), b("y"));
          batch.commit(1, 2);
        }
        assertThat(str(before.get(Table.KV, b("a")))).isEqualTo("1");
        assertThat(keys(before, Table.KV)).containsExactly("a");
        assertThat(before.get(Table.META, b("x"))).isNull();
        try (Snapshot after = be.snapshot()) {
          assertThat(str(after.get(Table.KV, b("a")))).isEqualTo("2");
          assertThat(keys(after, Table.KV)).containsExactly("a", "b");
        }
      }
    }
  }

  @Test
  void batchCursorsMergeTheBatchOverTheCommittedState() throws Exception {
    try (RocksBackend be = open(dir)) {
      try (Batch batch = be.beginBatch()) {
        for (String k : List.of("a", "c", "e")) {
          batch.put(Table.KV, b(k), b("old"));
        }
        batch.commit(1, 1);
      }
      try (Batch batch = be.beginBatch()) {
        batch.put(Table.KV, b("b"), b("new"));
        batch.put(Table.KV, b("e"), b("new"));
        batch.delete(Table.KV, b("c"));
        assertThat(keys(batch, Table.KV)).containsExactly("a", "b", "e");
        assertThat(batch.get(Table.KV, b("c"))).isNull();
        assertThat(str(batch.get(Table.KV, b("e")))).isEqualTo("new");
        try (Cursor c = batch.cursor(Table.KV)) {
          c.seekForPrev(b("d"));
          assertThat(str(c.key())).isEqualTo("b");
          c.seek(b("c"));
          assertThat(str(c.key())).isEqualTo("e");
          assertThat(str(c.value())).isEqualTo("new");
          c.prev();
          assertThat(str(c.key())).isEqualTo("b");
        }
      }
    }
  }

  @Test
  void tablesAreSeparate() throws Exception {
    try (RocksBackend be = open(dir)) {
      try (Batch batch = be.beginBatch()) {
        for (Table t : Table.values()) {
          batch.put(t, b("same"), b(t.name()));
        }
        batch.commit(1, 1);
      }
      try (Snapshot s = be.snapshot()) {
        for (Table t : Table.values()) {
          assertThat(str(s.get(t, b("same")))).isEqualTo(t.name());
        }
        // META also holds the applied position, written by commit
        assertThat(keys(s, Table.META)).contains("same").hasSize(2);
        assertThat(keys(s, Table.KV)).containsExactly("same");
      }
    }
  }

  static Stream<Arguments> seeks() {
    // keys in unsigned order: 00, 01, 01 00, 7F, 80, FF, FF FF
    return Stream.of(
        Arguments.of("seek to an existing key", true, raw(0x01), raw(0x01)),
        Arguments.of("seek between keys", true, raw(0x01, 0x00, 0x00), raw(0x7F)),
        Arguments.of("seek: 0x80 sorts after 0x7F", true, raw(0x7F, 0x01), raw(0x80)),
        Arguments.of("seek past the end", true, raw(0xFF, 0xFF, 0x00), null),
        Arguments.of("seekForPrev to an existing key", false, raw(0x80), raw(0x80)),
        Arguments.of("seekForPrev between keys", false, raw(0xFE), raw(0x80)),
        Arguments.of("seekForPrev after a prefix", false, raw(0x01, 0x00, 0x01), raw(0x01, 0x00)),
        Arguments.of("seekForPrev before the start", false, new byte[0], null),
        Arguments.of("seekForPrev past the end", false, raw(0xFF, 0xFF, 0xFF), raw(0xFF, 0xFF)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seeks")
  void cursorsOrderKeysAsUnsignedBytes(String name, boolean forward, byte[] target, byte[] expected)
      throws Exception {
    List<byte[]> all =
        List.of(
            raw(0x00),
            raw(0x01),
            raw(0x01, 0x00),
            raw(0x7F),
            raw(0x80),
            raw(0xFF),
            raw(0xFF, 0xFF));
    try (RocksBackend be = open(dir)) {
      try (Batch batch = be.beginBatch()) {
        for (int i = all.size() - 1; i >= 0; i--) {
          batch.put(Table.EVENTS, all.get(i), raw(i));
        }
        batch.commit(1, 1);
      }
      try (Snapshot s = be.snapshot();
          Cursor c = s.cursor(Table.EVENTS)) {
        List<byte[]> seen = new ArrayList<>();
        for (c.seekToFirst(); c.isValid(); c.next()) {
          seen.add(c.key());
        }
        assertThat(seen).containsExactlyElementsOf(all);
        c.seekToLast();
        assertThat(c.key()).isEqualTo(raw(0xFF, 0xFF));
        if (forward) {
          c.seek(target);
        } else {
          c.seekForPrev(target);
        }
        if (expected == null) {
          assertThat(c.isValid()).isFalse();
        } else {
          assertThat(c.isValid()).isTrue();
          assertThat(c.key()).isEqualTo(expected);
        }
      }
    }
  }

  static Stream<StorageOptions> options() {
    return Stream.of(StorageOptions.DEFAULT, new StorageOptions(true, 8L << 20));
  }

  @ParameterizedTest
  @MethodSource("options")
  void reopeningPreservesCommittedDataAndTheAppliedPosition(StorageOptions options)
      throws Exception {
    try (RocksBackend be = RocksBackend.open(dir, options)) {
      for (int i = 1; i <= 50; i++) {
        try (Batch batch = be.beginBatch()) {
          batch.put(Table.KV, b("k" + i), b("v" + i));
          if (i % 10 == 0) {
            batch.delete(Table.KV, b("k" + (i - 1)));
          }
          batch.commit(4, 100 + i);
        }
      }
      try (Batch batch = be.beginBatch()) {
        batch.put(Table.KV, b("uncommitted"), b("x"));
      }
    }
    try (RocksBackend be = RocksBackend.open(dir, options)) {
      assertThat(be.appliedIndex()).isEqualTo(150);
      assertThat(be.appliedTerm()).isEqualTo(4);
      try (Snapshot s = be.snapshot()) {
        assertThat(keys(s, Table.KV)).hasSize(45).doesNotContain("k9", "uncommitted");
        assertThat(str(s.get(Table.KV, b("k50")))).isEqualTo("v50");
      }
    }
  }

  @Test
  void aCheckpointIsASelfContainedCopyOfTheCommittedState() throws Exception {
    Path cp = dir.resolve("cp");
    try (RocksBackend be = open(dir.resolve("db"))) {
      try (Batch batch = be.beginBatch()) {
        batch.put(Table.KV, b("a"), b("1"));
        batch.commit(1, 5);
      }
      be.checkpoint(cp);
      try (Batch batch = be.beginBatch()) {
        batch.put(Table.KV, b("b"), b("2"));
        batch.commit(1, 6);
      }
      assertThatThrownBy(() -> be.checkpoint(cp)).isInstanceOf(IOException.class);
      assertThat(be.sizeBytes()).isPositive();
    }
    assertThat(Files.isDirectory(cp)).isTrue();
    try (RocksBackend copy = open(cp)) {
      assertThat(copy.appliedIndex()).isEqualTo(5);
      try (Snapshot s = copy.snapshot()) {
        assertThat(keys(s, Table.KV)).containsExactly("a");
      }
    }
  }

  @Test
  void columnFamilyNamesAreTheLowerCaseTableNames() {
    assertThat(str(Table.LEASE_KEYS.columnFamilyName())).isEqualTo("lease_keys");
    assertThat(str(Table.KV.columnFamilyName())).isEqualTo("kv");
  }
}
