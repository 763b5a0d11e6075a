package io.aimstore.cluster;

import io.aimstore.client.TlsFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code etcdctl} (package etcd-client), driven as a process against a cluster's etcd
 * endpoints. Installed with apt-get when missing, the way the bench installs etcd-server: tests
 * never assume it is there.
 */
final class Etcdctl {
  /** What one run printed, and how it ended. */
  record Result(int exitCode, String out, String err) {
    Result ok() {
      if (exitCode != 0) {
        throw new AssertionError("etcdctl exited " + exitCode + ": " + err + out);
      }
      return this;
    }

    List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  private final Path binary;
  private final String endpoints;
  private final TlsFiles tls;

  private Etcdctl(Path binary, String endpoints, TlsFiles tls) {
    this.binary = binary;
    this.endpoints = endpoints;
    this.tls = tls;
  }

  /**
   * etcdctl for these endpoints ("host:port,..."), over mutual TLS with {@code tls} (null for
   * plaintext), installing it first if needed.
   */
  static Etcdctl forEndpoints(String endpoints, TlsFiles tls)
      throws IOException, InterruptedException {
    return new Etcdctl(ensureInstalled(), endpoints, tls);
  }

  /** Runs {@code etcdctl --endpoints=... args}, with {@code stdin} (may be null), within 20 s. */
  Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
    Process p = start(args);
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("etcdctl " + String.join(" ", args) + " ran over 20 s");
    }
    return new Result(p.exitValue(), read(p.getInputStream()), read(p.getErrorStream()));
  }

  Result run(String... args) throws IOException, InterruptedException {
    return runWithInput(null, args);
  }

  /** Starts {@code etcdctl} without waiting for it (watch, lock, elect). */
  Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    if (tls == null) {
      cmd.add("--endpoints=" + endpoints);
    } else {
      cmd.add("--endpoints=https://" + endpoints.replace(",", ",https://"));
      cmd.add("--cacert=" + tls.caFile());
      cmd.add("--cert=" + tls.certFile());
      cmd.add("--key=" + tls.keyFile());
    }
    cmd.add("--dial-timeout=5s");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("ETCDCTL_API", "3");
    return pb.start();
  }

  static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  static Optional<Path> find() {
    for (String d :
        System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, "etcdctl");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    Path usr = Path.of("/usr/bin/etcdctl");
    return Files.isExecutable(usr) ? Optional.of(usr) : Optional.empty();
  }

  /** etcdctl, installed with apt-get (as root) when it is missing. */
  static synchronized Path ensureInstalled() throws IOException, InterruptedException {
    Optional<Path> found = find();
    if (found.isPresent()) {
      return found.get();
    }
    if (!"0".equals(output("id", "-u"))) {
      throw new IOException(
          "etcdctl is not installed and this is not root: run 'apt-get install -y etcd-client'");
    }
    if (apt("install", "-y", "-q", "etcd-client") != 0) {
      apt("update", "-q");
      apt("install", "-y", "-q", "etcd-client");
    }
    return find().orElseThrow(() -> new IOException("could not install etcd-client with apt-get"));
  }

  private static int apt(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("apt-get"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = pb.start();
    p.getInputStream().transferTo(System.out);
    if (!p.waitFor(Duration.ofMinutes(10).toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static String output(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).start();
    String out = read(p.getInputStream()).strip();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
