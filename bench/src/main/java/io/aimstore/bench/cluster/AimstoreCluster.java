package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.AimstoreDriver;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.EtcdDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
  private final boolean etcdApi;

  /** Member index → the PID its pid file named when last read. */
  private final Map<Integer, Long> pids = new ConcurrentHashMap<>();

  /**
   * @param etcdApi clients are the etcd driver, through aimstore's etcd v3 API ({@link
   *     SystemKind#AIMSTORE_ETCD}); otherwise aimstore's own client
   */
  public AimstoreCluster(
      Path repo,
      Path dir,
      int basePort,
      ProcessRegistry registry,
      String version,
      boolean etcdApi) {
    this.repo = repo;
    this.dir = dir;
    this.basePort = basePort;
    this.registry = registry;
    this.version = version;
    this.etcdApi = etcdApi;
  }

  @Override
  public SystemKind kind() {
    return etcdApi ? SystemKind.AIMSTORE_ETCD : SystemKind.AIMSTORE;
  }

  private Driver driver(List<String> addresses) {
    return etcdApi
        ? new EtcdDriver(addresses.stream().map(a -> "http://" + a).toList(), kind())
        : new AimstoreDriver(addresses);
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
      registerPid(i);
    }
  }

  /** Reads member {@code i}'s pid file and registers a PID not seen before. */
  private void registerPid(int i) throws IOException {
    Path pidFile = dir.resolve("n" + i).resolve("pid");
    if (Files.exists(pidFile)) {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      Long before = pids.put(i, pid);
      if (before == null || before != pid) {
        registry.register("aimstore n" + i, pid);
      }
    }
  }

  @Override
  public Driver connect() {
    return driver(endpoints());
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
    for (int i = 1; i <= MEMBERS; i++) {
      memberPid(i).ifPresent(alive::add);
    }
    return alive;
  }

  @Override
  public OptionalLong memberPid(int member) {
    Long pid = pids.get(member);
    if (pid == null) {
      return OptionalLong.empty();
    }
    return registry.handle(pid).map(h -> OptionalLong.of(h.pid())).orElse(OptionalLong.empty());
  }

  @Override
  public String clientAddress(int member) {
    return "127.0.0.1:" + (basePort + member);
  }

  @Override
  public Driver connect(int member) {
    return driver(List.of(clientAddress(member)));
  }

  @Override
  public OptionalInt leaderMember() {
    String out = Commands.output(script("leader"), repo, Duration.ofSeconds(30));
    return out.matches("\\d+") ? OptionalInt.of(Integer.parseInt(out)) : OptionalInt.empty();
  }

  @Override
  public Optional<String> leader() {
    OptionalInt m = leaderMember();
    return m.isPresent() ? Optional.of("n" + m.getAsInt()) : Optional.empty();
  }

  /** {@code aimstore-cluster kill-9 I}: SIGKILL, and the script waits until the process is gone. */
  @Override
  public void kill9(int member) throws Exception {
    int rc = Commands.run(script("kill-9", Integer.toString(member)), Map.of(), log(), LIMIT);
    if (rc != 0) {
      throw new IOException("aimstore-cluster kill-9 " + member + " failed (exit " + rc + ")");
    }
    Long pid = pids.get(member);
    if (pid != null) {
      registry.forget(pid);
    }
  }

  /** {@code aimstore-cluster start I}. */
  @Override
  public void startMember(int member) throws Exception {
    int rc;
    try {
      rc = Commands.run(script("start", Integer.toString(member)), Map.of(), log(), LIMIT);
    } finally {
      registerPid(member);
    }
    if (rc != 0) {
      throw new IOException(
          "aimstore-cluster start "
              + member
              + " failed (exit "
              + rc
              + "):\n"
              + Commands.tail(log(), 20));
    }
  }

  @Override
  public void stopMembers() {
    registry.stop(List.copyOf(pids.values()), Duration.ofSeconds(10));
  }

  /** {@code aimstore-cluster start I} for every member at once (the script sleeps 0.3 s each). */
  @Override
  public void startMembers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(MEMBERS);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (int i = 1; i <= MEMBERS; i++) {
        int member = i;
        started.add(
            pool.submit(
                () -> {
                  startMember(member);
                  return null;
                }));
      }
      for (Future<?> f : started) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public Path dataDir(int member) {
    return dir.resolve("n" + member).resolve("data");
  }

  @Override
  public boolean jvm() {
    return true;
  }

  private static final Duration LIMIT = Duration.ofSeconds(60);

  @Override
  public void stop() {
    // SIGTERM all members at once (the script stops them one after the other, up to 10 s each),
    // then let the script tidy up whatever is left.
    registry.stop(List.copyOf(pids.values()), Duration.ofSeconds(10));
    if (Files.exists(dir.resolve("cluster.env"))) {
      try {
        Commands.run(script("down"), Map.of(), log(), Duration.ofSeconds(90));
      } catch (IOException e) {
        // fall through to the PID-based stop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    registry.stop(List.copyOf(pids.values()), Duration.ofSeconds(10));
    pids.clear();
    for (int i = 1; i <= MEMBERS; i++) {
      Commands.deleteTree(dir.resolve("n" + i).resolve("data"));
    }
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(
        "started by",
        "ops/bin/aimstore-cluster up --base-port "
            + basePort
            + ", run from a copy of the build taken when the run started");
    s.put("client ports", (basePort + 1) + "-" + (basePort + MEMBERS));
    String opts = System.getenv("AIMSTORE_JAVA_OPTS");
    s.put(
        "JVM options", opts != null ? opts : "the script's default (-Xms128m -Xmx1g -XX:+UseG1GC)");
    s.put("durability", "Ratis defaults: fsync before acknowledging");
    return s;
  }
}
