package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.AimstoreDriver;
import io.aimstore.bench.driver.Driver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * aimstore's 3 members, started and stopped through {@code ops/bin/aimstore-cluster} in a fresh
 * directory with its own port base (client ports BASE+1..3, Raft BASE+11..13, metrics BASE+21..23).
 * The script writes each member's pid file; the bench registers those PIDs so that they are stopped
 * even if the script is not run again.
 */
public final class AimstoreCluster implements Cluster {
  private static final int MEMBERS = 3;

  private final Path repo;
  private final Path dir;
  private final int basePort;
  private final ProcessRegistry registry;
  private final String version;
  private final List<Long> pids = new ArrayList<>();

  public AimstoreCluster(
      Path repo, Path dir, int basePort, ProcessRegistry registry, String version) {
    this.repo = repo;
    this.dir = dir;
    this.basePort = basePort;
    this.registry = registry;
    this.version = version;
  }

  @Override
  public SystemKind kind() {
    return SystemKind.AIMSTORE;
  }

  private List<String> script(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(repo.resolve("ops/bin/aimstore-cluster").toString());
    cmd.add("--dir");
    cmd.add(dir.toString());
    cmd.add("--base-port");
    cmd.add(Integer.toString(basePort));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Path log() {
    return dir.resolve("aimstore-cluster.log");
  }

  @Override
  public void start() throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 1; i <= MEMBERS; i++) {
      ports.addAll(List.of(basePort + i, basePort + 10 + i, basePort + 20 + i));
    }
    Ports.requireFree("aimstore", ports);
    Files.createDirectories(dir);
    for (int i = 1; i <= MEMBERS; i++) {
      registry.registerPidFile(
          "aimstore n" + i, dir.resolve("n" + i).resolve("pid"), dir.resolve("n" + i).toString());
    }
    int rc;
    try {
      rc =
          Commands.run(
              script("up", "-n", Integer.toString(MEMBERS)),
              Map.of("AIMSTORE_CLUSTER_DIR", dir.toString()),
              log(),
              Duration.ofMinutes(5));
    } finally {
      registerPids();
    }
    if (rc != 0) {
      throw new IOException(
          "aimstore-cluster up failed (exit " + rc + "):\n" + Commands.tail(log(), 20));
    }
  }

  private void registerPids() throws IOException {
    for (int i = 1; i <= MEMBERS; i++) {
      Path pidFile = dir.resolve("n" + i).resolve("pid");
      if (Files.exists(pidFile)) {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        if (!pids.contains(pid)) {
          pids.add(pid);
          registry.register("aimstore n" + i, pid);
        }
      }
    }
  }

  @Override
  public Driver connect() {
    return new AimstoreDriver(endpoints());
  }

  public List<String> endpoints() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= MEMBERS; i++) {
      out.add("127.0.0.1:" + (basePort + i));
    }
    return out;
  }

  @Override
  public List<Long> serverPids() {
    List<Long> alive = new ArrayList<>();
    for (long pid : pids) {
      registry.handle(pid).ifPresent(h -> alive.add(h.pid()));
    }
    return alive;
  }

  @Override
  public void stop() {
    // SIGTERM all members at once (the script stops them one after the other, up to 10 s each),
    // then let the script tidy up whatever is left.
    registry.stop(List.copyOf(pids), Duration.ofSeconds(10));
    if (Files.exists(dir.resolve("cluster.env"))) {
      try {
        Commands.run(script("down"), Map.of(), log(), Duration.ofSeconds(90));
      } catch (IOException e) {
        // fall through to the PID-based stop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    registry.stop(List.copyOf(pids), Duration.ofSeconds(10));
    pids.clear();
    for (int i = 1; i <= MEMBERS; i++) {
      Commands.deleteTree(dir.resolve("n" + i).resolve("data"));
    }
  }

  @Override
  public Optional<String> leader() {
    String out =
        Commands.output(
            List.of(
                repo.resolve("ops/bin/aimstore-cluster").toString(),
                "--dir",
                dir.toString(),
                "--base-port",
                Integer.toString(basePort),
                "leader"),
            repo,
            Duration.ofSeconds(30));
    return out.matches("\\d+") ? Optional.of("n" + out) : Optional.empty();
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("started by", "ops/bin/aimstore-cluster up --base-port " + basePort);
    s.put("client ports", (basePort + 1) + "-" + (basePort + MEMBERS));
    String opts = System.getenv("AIMSTORE_JAVA_OPTS");
    s.put(
        "JVM options", opts != null ? opts : "the script's default (-Xms128m -Xmx1g -XX:+UseG1GC)");
    s.put("durability", "Ratis defaults: fsync before acknowledging");
    return s;
  }
}
