package io.aimstore.api;

import io.aimstore.api.v1.SnapshotMetadata;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A snapshot file: a backup of one member's store, as {@code aimctl snapshot save} writes it and
 * {@code aimstore restore} reads it. Layout (integers big-endian):
 *
 * <pre>
 *   "AIMSNAP\n"                      8 bytes
 *   format version                   int32 (1)
 *   metadata length, metadata        int32, a SnapshotMetadata message
 *   per file of the checkpoint:      int32 name length (> 0), name (UTF-8), int64 size, contents
 *   end of files                     int32 0
 *   SHA-256 of every byte above      32 bytes
 * </pre>
 *
 * The files are a RocksDB checkpoint of the store, the same that Raft snapshots hold. Readers check
 * the checksum before they trust a byte of it: a damaged file is refused with a {@link
 * DamagedException} whose message is one line naming the file.
 */
public final class SnapshotFile {
  public static final int FORMAT_VERSION = 1;

  private static final byte[] MAGIC = "AIMSNAP\n".getBytes(StandardCharsets.US_ASCII);
  private static final int CHECKSUM_BYTES = 32;
  private static final int MAX_METADATA_BYTES = 1 << 20;
  private static final int MAX_NAME_BYTES = 1024;

  private SnapshotFile() {}

  /** A file that is not a snapshot, or a damaged one: the message names it, in one line. */
  public static final class DamagedException extends IOException {
    public DamagedException(Path file, String why) {
      super("snapshot " + file + " is damaged: " + why + "; use another copy");
    }
  }

  /** One file of the checkpoint to write: its name in the snapshot and where it is. */
  public record Entry(String name, Path path, long size) {
    public static Entry of(Path path) throws IOException {
      return new Entry(path.getFileName().toString(), path, Files.size(path));
    }
  }

  /**
   * What a verified snapshot file holds.
   *
   * @param sha256 its checksum (lowercase hex)
   * @param sizeBytes the file's size
   * @param fileNames the checkpoint's files, in file order
   */
  public record Contents(
      SnapshotMetadata metadata, String sha256, long sizeBytes, List<String> fileNames) {}

  /** The size of the file {@link #write} makes of these. */
  public static long size(SnapshotMetadata metadata, List<Entry> files) {
    long n = MAGIC.length + 4 + 4 + metadata.getSerializedSize();
    for (Entry e : files) {
      n += 4 + e.name().getBytes(StandardCharsets.UTF_8).length + 8 + e.size();
    }
    return n + 4 + CHECKSUM_BYTES;
  }

  /**
   * Writes a snapshot file of {@code files} to {@code out} (which it does not close); returns its
   * checksum.
   *
   * @throws IOException also when a file's size changed since its {@link Entry} was made
   */
  public static String write(OutputStream out, SnapshotMetadata metadata, List<Entry> files)
      throws IOException {
    MessageDigest md = sha256();
    DataOutputStream data = new DataOutputStream(new DigestOutputStream(nonClosing(out), md));
    data.write(MAGIC);
    data.writeInt(FORMAT_VERSION);
    byte[] meta = metadata.toByteArray();
    data.writeInt(meta.length);
    data.write(meta);
    for (Entry e : files) {
      byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
      data.writeInt(name.length);
      data.write(name);
      data.writeLong(e.size());
      try (InputStream in = Files.newInputStream(e.path())) {
        long copied = in.transferTo(data);
        if (copied != e.size()) {
          throw new IOException(
              e.path() + " changed while it was written: " + copied + " bytes, not " + e.size());
        }
      }
    }
    data.writeInt(0);
    data.flush();
    byte[] sum = md.digest();
    out.write(sum);
    out.flush();
    return HexFormat.of().formatHex(sum);
  }

  /** Checks the file's checksum and layout and returns what it holds; writes nothing. */
  public static Contents verify(Path file) throws IOException {
    return read(file, null);
  }

  /**
   * Verifies the file, then writes the checkpoint's files into {@code dir} (created; it must not
   * exist or be empty). The file is read twice, and checked both times: a file changed between the
   * two reads is refused too (what was written to {@code dir} is then left for the caller to
   * delete).
   */
  public static Contents extract(Path file, Path dir) throws IOException {
    Contents first = read(file, null);
    Files.createDirectories(dir);
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IOException("cannot extract " + file + " into " + dir + ": it is not empty");
      }
    }
    Contents second = read(file, dir);
    if (!second.sha256().equals(first.sha256())) {
      throw new DamagedException(file, "it changed while it was read");
    }
    return second;
  }

  private static Contents read(Path file, Path extractTo) throws IOException {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new IOException("cannot read snapshot " + file + ": " + e.getMessage(), e);
    }
    if (size < MAGIC.length + 4 + 4 + 4 + CHECKSUM_BYTES) {
      throw new DamagedException(file, "it is too short (" + size + " bytes) to be a snapshot");
    }
    long body = size - CHECKSUM_BYTES;
    if (extractTo == null) {
      checkChecksum(file, body); // before the layout is trusted
    }
    MessageDigest md = sha256();
    try (InputStream raw = Files.newInputStream(file, StandardOpenOption.READ)) {
      DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
      DigestReader r = new DigestReader(in, md, body, file);
      byte[] magic = r.bytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new DamagedException(file, "it does not start like a snapshot file");
      }
      int version = r.int32();
      if (version != FORMAT_VERSION) {
        throw new IOException(
            "snapshot "
                + file
                + " has format version "
                + version
                + "; this aimstore reads version "
                + FORMAT_VERSION);
      }
      int metaLength = r.int32();
      if (metaLength < 0 || metaLength > MAX_METADATA_BYTES) {
        throw new DamagedException(file, "its metadata length " + metaLength + " is impossible");
      }
      SnapshotMetadata metadata = SnapshotMetadata.parseFrom(r.bytes(metaLength));
      List<String> names = new ArrayList<>();
      while (true) {
        int nameLength = r.int32();
        if (nameLength == 0) {
          break;
        }
        if (nameLength < 0 || nameLength > MAX_NAME_BYTES) {
          throw new DamagedException(file, "a file name length " + nameLength + " is impossible");
        }
        String name = new String(r.bytes(nameLength), StandardCharsets.UTF_8);
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
          throw new DamagedException(file, "it names a file '" + name + "' outside its directory");
        }
        long length = r.int64();
        if (length < 0 || length > body) {
          throw new DamagedException(file, "file " + name + " has an impossible size " + length);
        }
        names.add(name);
        if (extractTo == null) {
          r.skip(length);
        } else {
          try (OutputStream out =
              Files.newOutputStream(extractTo.resolve(name), StandardOpenOption.CREATE_NEW)) {
            r.copy(length, out);
          }
        }
      }
      if (r.position() != body) {
        throw new DamagedException(file, (body - r.position()) + " bytes follow its last file");
      }
      String sum = HexFormat.of().formatHex(md.digest());
      String stored = HexFormat.of().formatHex(in.readNBytes(CHECKSUM_BYTES));
      if (!sum.equals(stored)) {
        throw new DamagedException(
            file,
            "its SHA-256 checksum does not match its contents (the file says " + stored + ")");
      }
      return new Contents(metadata, sum, size, List.copyOf(names));
    } catch (EOFException e) {
      throw new DamagedException(file, "it ends early");
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new DamagedException(file, "its metadata cannot be read");
    }
  }

  private static void checkChecksum(Path file, long body) throws IOException {
    MessageDigest md = sha256();
    byte[] stored;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      long left = body;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new DamagedException(file, "it ends early");
        }
        md.update(buf, 0, n);
        left -= n;
      }
      stored = in.readNBytes(CHECKSUM_BYTES);
    }
    byte[] sum = md.digest();
    if (!Arrays.equals(sum, stored)) {
      throw new DamagedException(
          file,
          "its SHA-256 checksum does not match its contents (computed "
              + HexFormat.of().formatHex(sum)
              + ", the file says "
              + HexFormat.of().formatHex(stored)
              + ")");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  /** Reads the body of a file, feeding every byte to the digest, never past the body's end. */
  private static final class DigestReader {
    private final DataInputStream in;
    private final MessageDigest md;
    private final long body;
    private final Path file;
    private final byte[] buf = new byte[1 << 16];
    private long position;

    DigestReader(DataInputStream in, MessageDigest md, long body, Path file) {
      this.in = in;
      this.md = md;
      this.body = body;
      this.file = file;
    }

    long position() {
      return position;
    }

    byte[] bytes(int n) throws IOException {
      claim(n);
      byte[] b = new byte[n];
      in.readFully(b);
      md.update(b);
      return b;
    }

    int int32() throws IOException {
      byte[] b = bytes(4);
      return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    long int64() throws IOException {
      return ((long) int32() << 32) | (int32() & 0xFFFFFFFFL);
    }

    void skip(long n) throws IOException {
      copy(n, null);
    }

    void copy(long n, OutputStream out) throws IOException {
      claim(n);
      long left = n;
      while (left > 0) {
        int k = (int) Math.min(buf.length, left);
        in.readFully(buf, 0, k);
        md.update(buf, 0, k);
        if (out != null) {
          out.write(buf, 0, k);
        }
        left -= k;
      }
    }

    private void claim(long n) throws IOException {
      if (position + n > body) {
        throw new DamagedException(file, "a length in it points past its end");
      }
      position += n;
    }
  }
}
