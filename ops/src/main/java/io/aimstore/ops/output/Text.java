package io.aimstore.ops.output;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/** How keys, values, sizes and times are shown to people. */
public final class Text {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Text() {}

  /**
   * UTF-8 text if the bytes are printable UTF-8 (tabs and line breaks included), else "base64:...".
   */
  public static String bytes(ByteString b) {
    if (isPrintable(b)) {
      return b.toStringUtf8();
    }
    return "base64:" + Base64.getEncoder().encodeToString(b.toByteArray());
  }

  public static boolean isPrintable(ByteString b) {
    if (!b.isValidUtf8()) {
      return false;
    }
    return b.toStringUtf8()
        .chars()
        .noneMatch(c -> (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F);
  }

  /** Parses a key or value given on the command line ("base64:..." for binary). */
  public static ByteString parse(String s) {
    if (s.startsWith("base64:")) {
      return ByteString.copyFrom(Base64.getDecoder().decode(s.substring(7)));
    }
    return ByteString.copyFromUtf8(s);
  }

  public static String size(long bytes) {
    if (bytes < 0) {
      return "?";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }

  /** "12s", "3m05s", "2h10m", "4d3h". */
  public static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return d.toMillis() < 10_000 ? String.format("%.1fs", d.toMillis() / 1000.0) : s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    if (s < 86400) {
      return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return String.format("%dd%dh", s / 86400, (s % 86400) / 3600);
  }

  /** "12s ago" for an age of {@code ageMs}, or {@code unknown} when it is negative (not known). */
  public static String ago(long ageMs, String unknown) {
    return ageMs < 0 ? unknown : age(Duration.ofMillis(ageMs)) + " ago";
  }

  public static String time(long unixMs) {
    return unixMs <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(unixMs));
  }

  /** {@code s}, or "-" when it is empty (e.g. an identity in an insecure cluster). */
  public static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  /**
   * A holder's process id, or "-" when it has none to give (an etcd client, a quarantine): never
   * "pid 0", which names no process.
   */
  public static String pid(long pid) {
    return pid == 0 ? "-" : Long.toString(pid);
  }
}
