package io.aimstore.server.raft;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every entry of the Raft log segments in a Ratis {@code current} directory against the
 * CRC-32C Ratis wrote after it, before the member starts.
 *
 * <p>The segment format (Ratis 3.2.2, {@code SegmentedRaftLogFormat}): the header {@code RaftLog1},
 * then per entry a varint32 length, that many bytes of {@code LogEntryProto} and the CRC-32C
 * (big-endian) of the varint and the entry; then zeros (the preallocated rest of the file). A
 * closed segment {@code log_S-E} holds entries S..E, an open one {@code log_inprogress_S} entries
 * from S on.
 *
 * <p>What Ratis 3.2.2 does by itself at start, with its default corruption policy ({@code
 * EXCEPTION}): a segment that ends inside an entry is a write cut short, and the entry is dropped
 * with a warning; an entry whose checksum does not match, in any segment, fails the start with
 * {@code IllegalStateException: Failed to initRaftLog} caused by {@code ChecksumException: Log
 * entry corrupted: Calculated checksum is … but read checksum is …}, which names no file. Here,
 * before Ratis starts:
 *
 * <ul>
 *   <li>a closed segment with a damaged entry, bytes after its entries, or another number of
 *       entries than its name says: {@link RaftLogDamagedException} naming the file, nothing
 *       started;
 *   <li>the open segment ending inside its last entry: dropped, as Ratis would;
 *   <li>the open segment's <em>last</em> entry failing its checksum, with nothing but zeros after
 *       it and a whole {@value #SECTOR}-byte sector of it zeros: a write torn by a crash (the
 *       sector never reached the disk). That entry was never acknowledged by this member
 *       (acknowledgements follow the fsync), so the file is truncated before it, with one warning;
 *       the leader sends it again. Any other checksum failure (a flipped bit leaves no zero sector)
 *       is damage and refused.
 * </ul>
 */
final class RaftLogCheck {
  private static final Logger LOG = LoggerFactory.getLogger(RaftLogCheck.class);

  static final byte[] HEADER = "RaftLog1".getBytes(StandardCharsets.US_ASCII);

  /**
   * Larger entry lengths are damage, not a write cut short (Ratis refuses entries above its maximum
   * op size, 32 MiB by default; ours are at most a few MiB).
   */
  static final long MAX_ENTRY_BYTES = 64L << 20;

  /** Disk writes are atomic per sector at best: a torn write loses whole sectors. */
  static final int SECTOR = 512;

  private static final Pattern CLOSED = Pattern.compile("log_(\\d+)-(\\d+)");
  private static final Pattern OPEN = Pattern.compile("log_inprogress_(\\d+)");

  private RaftLogCheck() {}

  /**
   * Checks every segment in {@code currentDir} (absent: nothing to check).
   *
   * @return how many entries were checked
   * @throws RaftLogDamagedException naming the first damaged segment
   */
  static long verify(Path currentDir) throws IOException {
    if (!Files.isDirectory(currentDir)) {
      return 0;
    }
    List<Path> segments;
    try (Stream<Path> files = Files.list(currentDir)) {
      segments = files.filter(Files::isRegularFile).sorted().toList();
    }
    long entries = 0;
    for (Path f : segments) {
      String name = f.getFileName().toString();
      Matcher closed = CLOSED.matcher(name);
      if (closed.matches()) {
        long expected = Long.parseLong(closed.group(2)) - Long.parseLong(closed.group(1)) + 1;
        long found = check(f, false);
        if (found != expected) {
          throw new RaftLogDamagedException(
              f, "it holds " + found + " entries, its name says " + expected);
        }
        entries += found;
      } else if (OPEN.matcher(name).matches()) {
        entries += check(f, true);
      }
    }
    return entries;
  }

  /** Checks one segment; returns its entry count. May truncate a torn last entry of an open one. */
  private static long check(Path f, boolean open) throws IOException {
    byte[] data = Files.readAllBytes(f);
    int headerBytes = Math.min(HEADER.length, data.length);
    if (!Arrays.equals(data, 0, headerBytes, HEADER, 0, headerBytes)
        || (data.length < HEADER.length && !open)) {
      if (open && zerosFrom(data, matchingPrefix(data))) {
        return 0; // the header itself was cut short: Ratis starts the segment again
      }
      throw new RaftLogDamagedException(
          f, "its header is not " + new String(HEADER, StandardCharsets.US_ASCII));
    }
    int pos = HEADER.length;
    long count = 0;
    CRC32C crc = new CRC32C();
    while (pos < data.length) {
      if (data[pos] == 0) {
        if (!zerosFrom(data, pos)) {
          throw new RaftLogDamagedException(
              f, "non-zero bytes after its last entry (offset " + pos + ")");
        }
        break;
      }
      long length = 0;
      int p = pos;
      int shift = 0;
      boolean varintDone = false;
      while (p < data.length && shift < 35) {
        byte b = data[p++];
        length |= (long) (b & 0x7f) << shift;
        shift += 7;
        if (b >= 0) {
          varintDone = true;
          break;
        }
      }
      if (!varintDone && p == data.length && open) {
        tornTail(f, pos, count, "cut short");
        break;
      }
      if (!varintDone || length > MAX_ENTRY_BYTES) {
        throw new RaftLogDamagedException(
            f, "entry " + (count + 1) + " (offset " + pos + ") has no valid length");
      }
      long frameEnd = p + length + 4;
      if (frameEnd > data.length) {
        if (open) {
          tornTail(f, pos, count, "cut short");
          break;
        }
        throw new RaftLogDamagedException(
            f, "entry " + (count + 1) + " (offset " + pos + ") is cut short");
      }
      crc.reset();
      crc.update(data, pos, (int) (p + length - pos));
      int end = (int) (p + length);
      int stored =
          ((data[end] & 0xff) << 24)
              | ((data[end + 1] & 0xff) << 16)
              | ((data[end + 2] & 0xff) << 8)
              | (data[end + 3] & 0xff);
      if (stored != (int) crc.getValue()) {
        if (open && zerosFrom(data, (int) frameEnd) && hasZeroSector(data, pos, (int) frameEnd)) {
          tornTail(f, pos, count, "has a sector never written");
          break;
        }
        throw new RaftLogDamagedException(
            f,
            "entry "
                + (count + 1)
                + " (offset "
                + pos
                + ") fails its CRC-32C checksum (stored "
                + String.format("%08x", stored)
                + ", computed "
                + String.format("%08x", (int) crc.getValue())
                + ")");
      }
      count++;
      pos = (int) frameEnd;
    }
    return count;
  }

  /**
   * Whether a disk sector's worth of {@code [from, to)} — the part of a {@value #SECTOR}-byte
   * sector inside it — is all zeros: the mark of a write the crash cut short (etcd's torn-entry
   * test), where a flipped bit leaves no such sector.
   */
  private static boolean hasZeroSector(byte[] data, int from, int to) {
    for (int start = from; start < to; ) {
      int end = Math.min(to, (start / SECTOR + 1) * SECTOR);
      boolean zeros = true;
      for (int i = start; i < end && zeros; i++) {
        zeros = data[i] == 0;
      }
      if (zeros) {
        return true;
      }
      start = end;
    }
    return false;
  }

  private static int matchingPrefix(byte[] data) {
    int n = 0;
    while (n < Math.min(HEADER.length, data.length) && data[n] == HEADER[n]) {
      n++;
    }
    return n;
  }

  private static boolean zerosFrom(byte[] data, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Drops the open segment's last entry, torn by a crash: the file ends before it. */
  private static void tornTail(Path f, int offset, long kept, String how) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(offset);
      ch.force(true);
    }
    LOG.warn(
        "event=raft_log_torn_tail_dropped file={} offset={} entries_kept={} reason=\"last entry {}"
            + " (a write cut short by a crash; the leader sends it again)\"",
        f,
        offset,
        kept,
        how);
  }
}
