package io.aimstore.bench.fault;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.cluster.Cluster;
import io.aimstore.client.TlsFiles;
import io.aimstore.testkit.ProcessRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A separate process holding a lock or a session-bound key, to be killed with SIGKILL. aimstore's
 * lock holder is the real tool: {@code ops/bin/aimctl lock run NAME --ttl TTL -- sleep 600}; every
 * other holder is {@link HolderMain} in a small JVM (jetcd lock or key on a lease of TTL; Curator
 * mutex or ephemeral znode on a session of timeout TTL; aimstore key on a client session). Every
 * process is registered, and {@link #kill9} also kills what the holder started (aimctl's {@code
 * sleep}).
 */
public final class HolderProcess implements AutoCloseable {
  /** What the holder holds. */
  public enum Holds {
    LOCK,
    KEY
  }

  private static final Pattern SESSION_TTL = Pattern.compile("session_ttl_ms=(-?\\d+)");

  private final Process process;
  private final ProcessRegistry registry;
  private final CountDownLatch holding = new CountDownLatch(1);
  private volatile long sessionTtlMs = -1;

  private HolderProcess(Process process, ProcessRegistry registry, Path log) {
    this.process = process;
    this.registry = registry;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter out =
                      new PrintWriter(
                          Files.newBufferedWriter(
                              log,
                              StandardCharsets.UTF_8,
                              StandardOpenOption.CREATE,
                              StandardOpenOption.APPEND))) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.println(line);
                  out.flush();
                  if (line.contains(HolderMain.HOLDING)) {
                    Matcher m = SESSION_TTL.matcher(line);
                    if (m.find()) {
                      sessionTtlMs = Long.parseLong(m.group(1));
                    }
                    holding.countDown();
                  }
                }
              } catch (IOException e) {
                // the process died
              }
            },
            "holder-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The command that holds lock or key {@code name} on a session of {@code ttlSeconds}. */
  static List<String> command(
      Holds holds, SystemKind kind, Cluster cluster, Path repo, String name, int ttlSeconds) {
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= cluster.members(); i++) {
      addresses.add(cluster.clientAddress(i));
    }
    String csv = String.join(",", addresses);
    TlsFiles tls = cluster.tls();
    // aimctl for aimstore's own API; through its etcd API: HolderMain
    if (holds == Holds.LOCK && kind.server() == SystemKind.AIMSTORE && !kind.etcdApi()) {
      List<String> cmd = new ArrayList<>(List.of(repo.resolve("ops/bin/aimctl").toString()));
      cmd.addAll(List.of("--endpoints", csv));
      if (tls == null) {
        cmd.add("--insecure");
      } else {
        cmd.addAll(
            List.of(
                "--cacert", tls.caFile().toString(),
                "--cert", tls.certFile().toString(),
                "--key", tls.keyFile().toString()));
      }
      cmd.addAll(
          List.of(
              "lock", "run", name, "--ttl", Integer.toString(ttlSeconds), "--", "sleep", "600"));
      return cmd;
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                HolderMain.class.getName(),
                holds.name().toLowerCase(),
                kind.id(),
                csv,
                name,
                Integer.toString(ttlSeconds)));
    if (tls != null) {
      cmd.addAll(
          List.of(tls.caFile().toString(), tls.certFile().toString(), tls.keyFile().toString()));
    }
    return cmd;
  }

  /** Starts a holder and waits until it says it holds the lock or key. */
  public static HolderProcess start(
      Holds holds,
      SystemKind kind,
      Cluster cluster,
      Path repo,
      Path log,
      ProcessRegistry registry,
      String name,
      int ttlSeconds,
      Duration limit)
      throws Exception {
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(command(holds, kind, cluster, repo, name, ttlSeconds))
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    registry.register(holds.name().toLowerCase() + " holder (" + kind.id() + ")", p.pid());
    HolderProcess h = new HolderProcess(p, registry, log);
    if (!h.holding.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      h.kill9();
      throw new IllegalStateException(
          "the holder did not take "
              + name
              + " within "
              + limit.toSeconds()
              + " s (log: "
              + log
              + ")");
    }
    // what the holder started (aimctl's sleep) is stopped with the rest if the bench is interrupted
    p.descendants().forEach(c -> registry.register("holder's child", c.pid()));
    return h;
  }

  public long pid() {
    return process.pid();
  }

  /** The session TTL the holder reported (ZooKeeper: the negotiated timeout), or -1. */
  public long sessionTtlMs() {
    return sessionTtlMs;
  }

  /**
   * SIGKILL to the holder; returns once it is gone, then kills what it had started (their sockets
   * do not matter: only the holder's session does).
   */
  public void kill9() {
    List<ProcessHandle> children = process.descendants().toList();
    registry.kill9(process.pid());
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle c : children) {
      registry.kill9(c.pid());
      c.destroyForcibly();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill9();
    }
  }
}
