package io.aimstore.bench;

import io.aimstore.testkit.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/** Facts about this machine and the software under test, for the report. */
final class EnvironmentProbe {
  private EnvironmentProbe() {}

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "unknown";
  }

  static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return "unknown";
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String os() {
    String pretty = "";
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          pretty = line.substring("PRETTY_NAME=".length()).replace("\"", "") + ", ";
        }
      }
    } catch (IOException e) {
      // no os-release
    }
    return pretty + System.getProperty("os.name") + " " + System.getProperty("os.version");
  }

  static String jvm() {
    return System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + " ("
        + System.getProperty("java.vendor")
        + ")";
  }

  /** Versions of the bench's dependencies, filtered into bench-versions.properties at build. */
  static Properties buildVersions() {
    Properties p = new Properties();
    try (InputStream in =
        EnvironmentProbe.class.getResourceAsStream("/bench-versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // leave empty
    }
    return p;
  }

  /** "abc1234" or "abc1234-dirty" for the repository at {@code repo}. */
  static String gitRevision(Path repo) {
    String rev =
        Commands.output(
            List.of("git", "rev-parse", "--short", "HEAD"), repo, Duration.ofSeconds(10));
    if (rev.isEmpty()) {
      return "unknown";
    }
    String dirty =
        Commands.output(
            List.of("git", "status", "--porcelain", "--untracked-files=no"),
            repo,
            Duration.ofSeconds(10));
    return dirty.isEmpty() ? rev : rev + "-dirty";
  }
}
