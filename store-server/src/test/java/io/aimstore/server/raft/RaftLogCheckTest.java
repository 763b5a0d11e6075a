package io.aimstore.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raft log segments checked before a start: damage refused, a crash's torn last write dropped. */
class RaftLogCheckTest {
  @TempDir Path dir;

  /** One entry as Ratis writes it: varint length, bytes, CRC-32C of both (big-endian). */
  private static byte[] entry(String payload) {
    byte[] body = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int n = body.length; ; n >>>= 7) { // varint
      if (n < 0x80) {
        out.write(n);
        break;
      }
      out.write((n & 0x7f) | 0x80);
    }
    out.writeBytes(body);
    CRC32C crc = new CRC32C();
    crc.update(out.toByteArray());
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    return out.toByteArray();
  }

  /** A segment: header, entries, then {@code padding} zeros (Ratis preallocates). */
  private Path segment(String name, int padding, String... payloads) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(RaftLogCheck.HEADER);
    for (String p : payloads) {
      out.writeBytes(entry(p));
    }
    out.writeBytes(new byte[padding]);
    return Files.write(dir.resolve(name), out.toByteArray());
  }

  private static void flip(Path f, int offset) throws Exception {
    byte[] b = Files.readAllBytes(f);
    b[offset] ^= 0x01;
    Files.write(f, b);
  }

  @Test
  void intactSegmentsPass() throws Exception {
    segment("log_1-3", 0, "a", "bb", "ccc");
    segment("log_inprogress_4", 4096, "d", "e");
    assertThat(RaftLogCheck.verify(dir)).isEqualTo(5);
    assertThat(RaftLogCheck.verify(dir.resolve("absent"))).isZero();
  }

  @Test
  void aFlippedByteInAClosedSegmentIsRefusedNamingTheFile() throws Exception {
    Path closed = segment("log_1-3", 0, "alpha", "beta", "gamma");
    segment("log_inprogress_4", 4096, "d");
    flip(closed, RaftLogCheck.HEADER.length + 1 + 2); // inside "alpha"
    assertThatThrownBy(() -> RaftLogCheck.verify(dir))
        .isInstanceOf(RaftLogDamagedException.class)
        .hasMessageStartingWith(
            "Raft log segment " + closed + " is damaged: entry 1 (offset 8) fails its CRC-32C")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aClosedSegmentMissingEntriesIsRefused() throws Exception {
    Path closed = segment("log_1-3", 0, "a", "b");
    assertThatThrownBy(() -> RaftLogCheck.verify(dir))
        .isInstanceOf(RaftLogDamagedException.class)
        .hasMessageContaining(closed + " is damaged: it holds 2 entries, its name says 3");
  }

  @Test
  void aTornLastEntryOfTheOpenSegmentIsDroppedAndTheRestKept() throws Exception {
    Path open = segment("log_inprogress_1", 4096, "first", "second", "x".repeat(1500));
    long tornAt = RaftLogCheck.HEADER.length + entry("first").length + entry("second").length;
    // the crash kept the first sectors of the last write, not the one from 1024 to 1536
    byte[] b = Files.readAllBytes(open);
    java.util.Arrays.fill(b, 1024, 1536, (byte) 0);
    Files.write(open, b);
    assertThat(RaftLogCheck.verify(dir)).isEqualTo(2);
    assertThat(Files.size(open)).isEqualTo(tornAt);
    assertThat(RaftLogCheck.verify(dir)).isEqualTo(2);
  }

  @Test
  void aFlippedBitInTheLastEntryOfTheOpenSegmentIsRefused() throws Exception {
    Path open = segment("log_inprogress_1", 4096, "first", "second", "x".repeat(1500));
    flip(open, 1100);
    long size = Files.size(open);
    assertThatThrownBy(() -> RaftLogCheck.verify(dir))
        .isInstanceOf(RaftLogDamagedException.class)
        .hasMessageContaining(open + " is damaged: entry 3 (offset ");
    assertThat(Files.size(open)).as("nothing truncated").isEqualTo(size);
  }

  @Test
  void anOpenSegmentEndingInsideItsLastEntryIsCutThere() throws Exception {
    Path open = segment("log_inprogress_1", 0, "first", "second");
    byte[] b = Files.readAllBytes(open);
    Files.write(open, java.util.Arrays.copyOf(b, b.length - 3));
    assertThat(RaftLogCheck.verify(dir)).isEqualTo(1);
    assertThat(Files.size(open)).isEqualTo(RaftLogCheck.HEADER.length + entry("first").length);
  }

  @Test
  void aDamagedEntryOfTheOpenSegmentThatOthersFollowIsRefused() throws Exception {
    Path open = segment("log_inprogress_1", 4096, "first", "second");
    flip(open, RaftLogCheck.HEADER.length + 2);
    long size = Files.size(open);
    assertThatThrownBy(() -> RaftLogCheck.verify(dir))
        .isInstanceOf(RaftLogDamagedException.class)
        .hasMessageContaining(open + " is damaged: entry 1 (offset 8) fails its CRC-32C");
    assertThat(Files.size(open)).as("nothing truncated").isEqualTo(size);
  }

  @Test
  void bytesAfterTheEntriesOrABadHeaderAreRefused() throws Exception {
    Path closed = segment("log_1-1", 16, "a");
    flip(closed, (int) Files.size(closed) - 4);
    assertThatThrownBy(() -> RaftLogCheck.verify(dir))
        .hasMessageContaining(closed + " is damaged: non-zero bytes after its last entry");
    Files.delete(closed);
    Path header = segment("log_1-1", 0, "a");
    flip(header, 0);
    assertThatThrownBy(() -> RaftLogCheck.verify(dir))
        .hasMessageContaining(header + " is damaged: its header is not RaftLog1");
  }
}
