package io.aimstore.jetcd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A local aimstore cluster of real member processes, driven through {@code
 * ops/bin/aimstore-cluster} (secure: mutual TLS with the certificates it makes) with a directory
 * and a base port of its own (free ports, picked at random above 36000 so that concurrent clusters
 * on this machine do not collide).
 */
final class MemberProcesses implements AutoCloseable {
  private static final int SIZE = 3;

  private final Path repo;
  private final Path dir;
  private final int base;

  private MemberProcesses(Path repo, Path dir, int base) {
    this.repo = repo;
    this.dir = dir;
    this.base = base;
  }

  /** Starts a three-member cluster in {@code dir} and waits until it serves. */
  static MemberProcesses up(Path dir) throws IOException, InterruptedException {
    Path repo = repoRoot();
    MemberProcesses c = new MemberProcesses(repo, dir, freeBase());
    c.script(240, "up", "-n", Integer.toString(SIZE));
    return c;
  }

  /** {@code dir}, emptied; members a previous run left running there are stopped first. */
  static Path freshDirectory(Path dir) throws IOException, InterruptedException {
    Path abs = dir.toAbsolutePath();
    if (Files.isRegularFile(abs.resolve("cluster.env"))) {
      run(
          List.of(
              repoRoot().resolve("ops/bin/aimstore-cluster").toString(),
              "down",
              "--dir",
              abs.toString()),
          120);
    }
    if (Files.exists(abs)) {
      try (var walk = Files.walk(abs)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(abs);
  }

  /** Member {@code i}'s client endpoint, {@code https://127.0.0.1:port}. */
  String endpoint(int i) {
    return "https://127.0.0.1:" + (base + i);
  }

  /**
   * The certificates the cluster script made: the CA, and the operator's certificate and key (an
   * admin identity), as {ca, cert, key}.
   */
  Path[] operatorTls() {
    Path tls = dir.resolve("tls");
    return new Path[] {
      tls.resolve("ca.crt"), tls.resolve("operator.crt"), tls.resolve("operator.key")
    };
  }

  List<String> endpoints() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= SIZE; i++) {
      out.add(endpoint(i));
    }
    return out;
  }

  int size() {
    return SIZE;
  }

  void kill9(int i) throws IOException, InterruptedException {
    script(60, "kill-9", Integer.toString(i));
  }

  void start(int i) throws IOException, InterruptedException {
    script(60, "start", Integer.toString(i));
  }

  /** Runs {@code ops/bin/aimctl} against this cluster and returns what it printed. */
  String aimctl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(repo.resolve("ops/bin/aimctl").toString());
    cmd.add("--cluster-dir");
    cmd.add(dir.toString());
    cmd.addAll(List.of(args));
    return run(cmd, 60);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    script(120, "down");
  }

  private void script(int timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(repo.resolve("ops/bin/aimstore-cluster").toString());
    cmd.addAll(List.of(args));
    cmd.add("--dir");
    cmd.add(dir.toString());
    cmd.add("--base-port");
    cmd.add(Integer.toString(base));
    run(cmd, timeoutSeconds);
  }

  private static String run(List<String> cmd, int timeoutSeconds)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    // read while it runs: a full pipe would block it
    StringBuilder out = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try {
                out.append(new String(p.getInputStream().readAllBytes()));
              } catch (IOException e) {
                // the process is gone
              }
            });
    reader.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " ran over " + timeoutSeconds + " s");
    }
    reader.join(5000);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + out);
    }
    return out.toString();
  }

  /** The repository: system property {@code aimstore.repo}, or the nearest parent with ops/bin. */
  static Path repoRoot() {
    String configured = System.getProperty("aimstore.repo");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("ops/bin/aimstore-cluster"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the aimstore repository; set -Daimstore.repo");
  }

  /** A base port whose client, Raft and metrics ports (base+1..base+29) are all free now. */
  private static int freeBase() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 36000 + 100 * ThreadLocalRandom.current().nextInt(1, 230);
      if (allFree(base)) {
        return base;
      }
    }
    throw new IOException("no free block of 30 ports found above 36000");
  }

  private static boolean allFree(int base) {
    for (int port = base + 1; port < base + 30; port++) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
