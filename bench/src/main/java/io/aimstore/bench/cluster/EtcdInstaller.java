package io.aimstore.bench.cluster;

import io.aimstore.testkit.Commands;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the etcd server binary, installing Debian's {@code etcd-server} package with apt-get when
 * it is missing (the bench never assumes it is there).
 */
public final class EtcdInstaller {
  private EtcdInstaller() {}

  /** {@code etcd} on the PATH, or /usr/bin/etcd. */
  public static Optional<Path> find() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, "etcd");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    Path usr = Path.of("/usr/bin/etcd");
    return Files.isExecutable(usr) ? Optional.of(usr) : Optional.empty();
  }

  /** The etcd binary, installed first if needed. Progress lines go to {@code say}. */
  public static Path ensureInstalled(Path log, java.util.function.Consumer<String> say)
      throws IOException, InterruptedException {
    Optional<Path> found = find();
    if (found.isPresent()) {
      return found.get();
    }
    String uid = Commands.output(List.of("id", "-u"), null, Duration.ofSeconds(5));
    if (!"0".equals(uid)) {
      throw new IOException(
          "etcd is not installed and this is not root: run 'apt-get install -y etcd-server' first");
    }
    say.accept("etcd not found: installing Debian's etcd-server (apt-get install -y etcd-server)");
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
    List<String> install = List.of("apt-get", "install", "-y", "-q", "etcd-server");
    int rc = Commands.run(install, env, log, Duration.ofMinutes(10));
    if (rc != 0) {
      say.accept("apt-get install failed; running apt-get update and trying again");
      Commands.run(List.of("apt-get", "update", "-q"), env, log, Duration.ofMinutes(10));
      rc = Commands.run(install, env, log, Duration.ofMinutes(10));
    }
    return find()
        .orElseThrow(
            () -> new IOException("could not install etcd-server; see " + log + " (apt output)"));
  }

  /** "3.4.23" from {@code etcd --version}, or "unknown". */
  public static String version(Path etcd) {
    String out =
        Commands.output(List.of(etcd.toString(), "--version"), null, Duration.ofSeconds(10));
    for (String line : out.split("\n")) {
      if (line.startsWith("etcd Version:")) {
        return line.substring("etcd Version:".length()).strip();
      }
    }
    return "unknown";
  }
}
