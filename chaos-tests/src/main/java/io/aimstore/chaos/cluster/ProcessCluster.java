package io.aimstore.chaos.cluster;

import io.aimstore.api.v1.StatusResponse;
import io.aimstore.client.AimStoreClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster of real aimstore server processes on 127.0.0.1, each with its own data directory under
 * {@code dir/nI}, driven through {@code ops/bin/aimstore-cluster} (start, stop, kill-9, pause,
 * resume, wipe).
 *
 * <p>This class writes the members' configurations itself (the script keeps them): every member
 * lists itself with its real Raft address and every other member J with the port of the proxy of
 * the link to J (see {@link Network}), so all Raft traffic, including followers forwarding writes
 * to the leader, crosses a proxy the nemesis controls. Client and metrics ports are direct.
 *
 * <p>Every process it starts is killed by {@link #close()}, and by a shutdown hook if the JVM ends
 * first; {@link #reapLeftovers} kills those of an earlier run whose JVM was killed outright.
 */
public final class ProcessCluster implements AutoCloseable {

  /**
   * How to run the members.
   *
   * @param size 3 or 5
   * @param basePort see {@link PortPlan}
   * @param failpoints the server failpoints to switch on (AIMSTORE_FAILPOINTS), empty for none
   * @param snapshotThreshold log entries between snapshots (small, so that restarted and wiped
   *     members catch up from snapshots)
   * @param javaOpts JVM options of the members, or null for the script's default
   */
  public record Options(
      int size, int basePort, String failpoints, long snapshotThreshold, String javaOpts) {}

  private static final String PROBE_KEY = "/chaos/probe";

  private final Path bin;
  private final Path dir;
  private final Options options;
  private final PortPlan ports;
  private final Map<Integer, AimStoreClient> probes = new ConcurrentHashMap<>();
  private final Set<Long> startedPids = ConcurrentHashMap.newKeySet();
  private final Thread shutdownHook = new Thread(this::killEverything, "chaos-cluster-cleanup");
  private Network network;
  private AimStoreClient anyMember;

  /**
   * @param bin a tree holding {@code ops/bin/aimstore-cluster} and the jars it runs: the
   *     repository, or a {@link ServerBuild#snapshot} of it
   * @param dir the cluster's directory (members' configs, data, logs)
   */
  public ProcessCluster(Path bin, Path dir, Options options) {
    this.bin = bin;
    this.dir = dir.toAbsolutePath().normalize();
    this.options = options;
    this.ports = new PortPlan(options.basePort());
  }

  public int size() {
    return options.size();
  }

  public Path dir() {
    return dir;
  }

  public PortPlan ports() {
    return ports;
  }

  public Network network() {
    return network;
  }

  /** Client address of member {@code i}. */
  public String endpoint(int i) {
    return "127.0.0.1:" + ports.client(i);
  }

  /** Every member's client address, starting with member {@code first}. */
  public List<String> endpointsFrom(int first) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < size(); k++) {
      out.add(endpoint((first - 1 + k) % size() + 1));
    }
    return out;
  }

  /** Writes the configurations, starts the proxies and every member, and waits for a leader. */
  public void start(Duration leaderTimeout) throws IOException, InterruptedException {
    ports.requireFree(size());
    Files.createDirectories(dir);
    writeConfigs();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    network = new Network(size(), ports);
    for (int i = 1; i <= size(); i++) {
      probes.put(
          i,
          AimStoreClient.builder()
              .endpoints(endpoint(i))
              .attemptTimeout(Duration.ofMillis(1500))
              .requestTimeout(Duration.ofMillis(2000))
              .name("chaos-probe-n" + i)
              .build());
    }
    anyMember =
        AimStoreClient.builder()
            .endpoints(endpointsFrom(1))
            .attemptTimeout(Duration.ofMillis(1500))
            .requestTimeout(Duration.ofSeconds(5))
            .name("chaos-probe")
            .build();
    for (int i = 1; i <= size(); i++) {
      startMember(i);
    }
    if (awaitLeader(leaderTimeout).isEmpty()) {
      throw new IOException(
          "no leader within " + leaderTimeout.toSeconds() + " s; see " + dir + "/n*/server.log");
    }
  }

  private void writeConfigs() throws IOException {
    for (int i = 1; i <= size(); i++) {
      Path member = dir.resolve("n" + i);
      Files.createDirectories(member);
      StringBuilder conf = new StringBuilder();
      conf.append("# written by the chaos suite: Raft links to other members go through proxies\n");
      conf.append("cluster = chaos\n");
      conf.append("name = n").append(i).append('\n');
      conf.append("data-dir = ").append(member.resolve("data")).append('\n');
      conf.append("election-timeout-ms = 500-1000\n");
      conf.append("snapshot-threshold = ").append(options.snapshotThreshold()).append('\n');
      for (int j = 1; j <= size(); j++) {
        int raft = i == j ? ports.raft(j) : ports.proxy(i, j);
        conf.append("member = n").append(j);
        conf.append("@raft=127.0.0.1:").append(raft);
        conf.append(",client=127.0.0.1:").append(ports.client(j));
        conf.append(",metrics=127.0.0.1:").append(ports.metrics(j)).append('\n');
      }
      Files.writeString(member.resolve("aimstore.conf"), conf);
    }
    Files.writeString(
        dir.resolve("cluster.env"), "SIZE=" + size() + "\nBASE=" + options.basePort() + "\n");
  }

  /** Starts member {@code i} (its data kept, or empty after {@link #wipe}). */
  public void startMember(int i) throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        script("start", Integer.toString(i));
        pid(i).ifPresent(startedPids::add);
        return;
      } catch (IOException e) {
        last = e; // e.g. its ports not released yet by the process just killed
        Thread.sleep(1000);
      }
    }
    throw last;
  }

  public void kill9(int i) throws IOException, InterruptedException {
    script("kill-9", Integer.toString(i));
  }

  public void pause(int i) throws IOException, InterruptedException {
    script("pause", Integer.toString(i));
  }

  public void resume(int i) throws IOException, InterruptedException {
    script("resume", Integer.toString(i));
  }

  /** Kills member {@code i} and deletes its data; {@link #startMember} brings it back empty. */
  public void wipe(int i) throws IOException, InterruptedException {
    script("wipe", Integer.toString(i));
  }

  public boolean alive(int i) {
    return pid(i).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Whether member {@code i} is stopped by SIGSTOP. */
  public boolean paused(int i) {
    Optional<Long> pid = pid(i);
    if (pid.isEmpty() || !alive(i)) {
      return false;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid.get() + "/status"))) {
        if (line.startsWith("State:")) {
          return line.contains("T");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** Member {@code i}'s process id, if it has a pid file. */
  public Optional<Long> pid(int i) {
    Path file = dir.resolve("n" + i).resolve("pid");
    try {
      return Files.exists(file)
          ? Optional.of(Long.parseLong(Files.readString(file).strip()))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Member {@code i}'s own status, if it answers within two seconds. */
  public CompletableFuture<Optional<StatusResponse>> status(int i) {
    if (!alive(i) || paused(i)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return probes
        .get(i)
        .cluster()
        .status("")
        .orTimeout(3, TimeUnit.SECONDS)
        .handle((r, e) -> e == null ? Optional.of(r) : Optional.empty());
  }

  /** The member that says it leads, in the highest term any member reports; empty if none. */
  public OptionalInt leader() {
    List<CompletableFuture<Optional<StatusResponse>>> all = new ArrayList<>();
    for (int i = 1; i <= size(); i++) {
      all.add(status(i));
    }
    int leader = -1;
    long term = -1;
    for (int i = 1; i <= size(); i++) {
      Optional<StatusResponse> s = all.get(i - 1).join();
      if (s.isPresent() && "LEADER".equals(s.get().getRole()) && s.get().getRaftTerm() > term) {
        leader = i;
        term = s.get().getRaftTerm();
      }
    }
    return leader < 0 ? OptionalInt.empty() : OptionalInt.of(leader);
  }

  /** Waits until a member leads and a linearizable read through the cluster succeeds. */
  public OptionalInt awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      OptionalInt leader = leader();
      if (leader.isPresent()) {
        try {
          anyMember.kv().get(PROBE_KEY).get(5, TimeUnit.SECONDS);
          return leader;
        } catch (Exception e) {
          // not serving yet
        }
      }
      Thread.sleep(200);
    }
    return OptionalInt.empty();
  }

  /**
   * Waits until every member runs, answers, names the same leader, and has applied what the leader
   * had committed when this wait began (after a fault is healed; so that a member rebuilt from
   * nothing holds the data again before the next fault); returns whether that happened in time.
   */
  public boolean awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long target = -1;
    while (System.nanoTime() < deadline) {
      List<CompletableFuture<Optional<StatusResponse>>> all = new ArrayList<>();
      for (int i = 1; i <= size(); i++) {
        all.add(status(i));
      }
      List<StatusResponse> statuses = new ArrayList<>();
      for (CompletableFuture<Optional<StatusResponse>> f : all) {
        f.join().ifPresent(statuses::add);
      }
      String leader = statuses.isEmpty() ? "" : statuses.get(0).getLeaderName();
      boolean agreed =
          statuses.size() == size()
              && !leader.isEmpty()
              && statuses.stream().allMatch(s -> s.getLeaderName().equals(leader));
      if (agreed && target < 0) {
        for (StatusResponse s : statuses) {
          if ("LEADER".equals(s.getRole())) {
            target = s.getRaftCommitIndex();
          }
        }
      }
      long caughtUp = target;
      if (agreed
          && target >= 0
          && statuses.stream().allMatch(s -> s.getRaftAppliedIndex() >= caughtUp)) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /**
   * Runs {@code ops/bin/aimstore-cluster} with this cluster's directory and ports, and the
   * failpoints in the members' environment.
   */
  private String script(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(bin.resolve("ops/bin/aimstore-cluster").toString());
    cmd.add("--dir");
    cmd.add(dir.toString());
    cmd.add("--base-port");
    cmd.add(Integer.toString(options.basePort()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // A member reads AIMSTORE_* variables as configuration: pass on only what is meant for it.
    pb.environment().keySet().removeIf(k -> k.startsWith("AIMSTORE_"));
    if (options.failpoints() != null && !options.failpoints().isBlank()) {
      pb.environment().put("AIMSTORE_FAILPOINTS", options.failpoints());
    }
    if (options.javaOpts() != null) {
      pb.environment().put("AIMSTORE_JAVA_OPTS", options.javaOpts());
    }
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("aimstore-cluster " + String.join(" ", args) + " hung");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("aimstore-cluster " + String.join(" ", args) + " failed: " + text);
    }
    return text;
  }

  /** Kills every member process this object started (SIGKILL), and closes the proxies. */
  @Override
  public void close() {
    killEverything();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // shutting down already, or never registered
    }
    probes.values().forEach(AimStoreClient::close);
    if (anyMember != null) {
      anyMember.close();
    }
  }

  private void killEverything() {
    for (long pid : startedPids) {
      ProcessHandle.of(pid).filter(h -> isOurs(h, dir)).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (long pid : startedPids) {
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                try {
                  h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                  // reported by the next run's port check
                }
              });
    }
    if (network != null) {
      network.close();
    }
  }

  /** Whether {@code h} is a member started with a configuration under {@code clusterDir}. */
  private static boolean isOurs(ProcessHandle h, Path clusterDir) {
    return h.info()
        .commandLine()
        .map(c -> c.contains("io.aimstore.server.Main") && c.contains(clusterDir.toString()))
        .orElse(false);
  }

  /**
   * Kills members of earlier runs under {@code runsDir} that are still alive (their harness was
   * killed outright and could not clean up): only processes whose command line names a config in
   * that run's directory.
   */
  public static void reapLeftovers(Path runsDir) {
    if (!Files.isDirectory(runsDir)) {
      return;
    }
    try (Stream<Path> files = Files.find(runsDir, 4, (p, a) -> p.endsWith("pid"))) {
      files.forEach(
          file -> {
            try {
              long pid = Long.parseLong(Files.readString(file).strip());
              Path clusterDir = file.getParent().getParent();
              ProcessHandle.of(pid)
                  .filter(h -> isOurs(h, clusterDir))
                  .ifPresent(
                      h -> {
                        System.out.println("chaos: killing leftover member pid " + pid);
                        h.destroyForcibly();
                      });
            } catch (IOException | NumberFormatException e) {
              // not a pid file of ours
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
