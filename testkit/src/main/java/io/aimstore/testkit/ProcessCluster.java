package io.aimstore.testkit;

import io.aimstore.api.v1.StatusResponse;
import io.aimstore.certs.ClusterCertificates;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.TlsFiles;
import io.aimstore.testkit.failpoints.FailpointInjection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster of real aimstore server processes on 127.0.0.1, each with its configuration, log, pid
 * file and data under {@code dir/nI}, driven through {@code ops/bin/aimstore-cluster} ({@code
 * start}, {@code stop}, {@code kill-9}, {@code pause}, {@code resume}, {@code wipe}) run from a
 * tree that holds the script and the jars: the repository, or a {@link BuildSnapshot#snapshot} of
 * it.
 *
 * <p>It writes the members' configurations itself (the script keeps them): ports from its {@link
 * PortPlan}, and with {@link Options.Builder#proxiedRaft} every member lists every other member J
 * at the port of the proxy of its link to J ({@link PortPlan#proxy}), so that the chaos suite can
 * put its fault-injecting proxies on every Raft link; client and metrics ports are always direct.
 *
 * <p>Every member it starts is registered in its {@link ProcessRegistry} and killed by {@link
 * #close()}, and by a shutdown hook if the JVM ends first; {@link #reapLeftovers} kills those of an
 * earlier run whose JVM was killed outright.
 */
public final class ProcessCluster implements Cluster {

  /**
   * How to run the members.
   *
   * @param size members (1..9; 3 or 5 for a real cluster)
   * @param ports where they listen
   * @param clusterName the cluster name in their configurations
   * @param settings further configuration lines ({@code election-timeout-ms = 500-1000}), in order
   * @param proxiedRaft whether a member reaches the others through the proxy ports of its links
   * @param failpoints server failpoints to switch on ({@code AIMSTORE_FAILPOINTS}); empty for none
   * @param javaOpts the members' JVM options, or null for the script's default
   * @param registry where the members' processes are registered
   * @param leaderTimeout how long {@link #start()} waits for a leader
   * @param secure mutual TLS with certificates made under the cluster's {@code tls/} (the default);
   *     false runs the members {@code insecure}
   */
  public record Options(
      int size,
      PortPlan ports,
      String clusterName,
      Map<String, String> settings,
      boolean proxiedRaft,
      String failpoints,
      String javaOpts,
      ProcessRegistry registry,
      Duration leaderTimeout,
      boolean secure) {

    public static Builder builder() {
      return new Builder();
    }

    /** Defaults: 3 members on a free port plan, server defaults, 120 s for a leader. */
    public static final class Builder {
      private int size = 3;
      private PortPlan ports;
      private String clusterName = "test";
      private final Map<String, String> settings = new LinkedHashMap<>();
      private boolean proxiedRaft;
      private String failpoints = "";
      private String javaOpts;
      private ProcessRegistry registry;
      private Duration leaderTimeout = Duration.ofSeconds(120);
      private boolean secure = true;

      public Builder size(int size) {
        this.size = size;
        return this;
      }

      /** An explicit plan; without one, a {@link PortPlan#free free} one. */
      public Builder ports(PortPlan ports) {
        this.ports = ports;
        return this;
      }

      public Builder clusterName(String name) {
        this.clusterName = name;
        return this;
      }

      /** One more configuration line, {@code key = value}. */
      public Builder setting(String key, String value) {
        settings.put(key, value);
        return this;
      }

      public Builder proxiedRaft(boolean proxied) {
        this.proxiedRaft = proxied;
        return this;
      }

      public Builder failpoints(String failpoints) {
        this.failpoints = failpoints == null ? "" : failpoints;
        return this;
      }

      public Builder javaOpts(String javaOpts) {
        this.javaOpts = javaOpts;
        return this;
      }

      public Builder registry(ProcessRegistry registry) {
        this.registry = registry;
        return this;
      }

      public Builder leaderTimeout(Duration timeout) {
        this.leaderTimeout = timeout;
        return this;
      }

      /** Plaintext members that trust every caller (to measure what TLS costs, or debug). */
      public Builder insecure() {
        this.secure = false;
        return this;
      }

      public Options build() {
        return new Options(
            size,
            ports != null ? ports : PortPlan.free(),
            clusterName,
            Collections.unmodifiableMap(new LinkedHashMap<>(settings)),
            proxiedRaft,
            failpoints,
            javaOpts,
            registry != null ? registry : new ProcessRegistry(),
            leaderTimeout,
            secure);
      }
    }
  }

  private static final String PROBE_KEY = "/testkit/probe";
  private static final Duration CERT_VALIDITY = Duration.ofDays(30);
  private static final Duration SCRIPT_LIMIT = Duration.ofSeconds(90);

  private final Path bin;
  private final Path dir;
  private final Options options;
  private final Map<Integer, AimStoreClient> probes = new ConcurrentHashMap<>();
  private final Map<Integer, Long> pids = new ConcurrentHashMap<>();
  private final Clients clients = new Clients(this::tls);
  private final Thread shutdownHook = new Thread(this::killMembers, "testkit-cluster-cleanup");
  private AimStoreClient anyMember;

  /**
   * @param bin a tree holding {@code ops/bin/aimstore-cluster} and the jars it runs
   * @param dir the cluster's directory (members' configurations, data, logs)
   */
  public ProcessCluster(Path bin, Path dir, Options options) {
    this.bin = bin;
    this.dir = dir.toAbsolutePath().normalize();
    this.options = options;
  }

  @Override
  public int size() {
    return options.size();
  }

  public Path dir() {
    return dir;
  }

  private ClusterCertificates certs() {
    return new ClusterCertificates(dir.resolve("tls"), Clock.systemUTC());
  }

  /** The operator's files under the cluster's {@code tls/}; null when it runs insecure. */
  @Override
  public TlsFiles tls() {
    if (!options.secure()) {
      return null;
    }
    Path crt = certs().operator(ClusterCertificates.OPERATOR, CERT_VALIDITY);
    return new TlsFiles(certs().dir().resolve("ca.crt"), crt, ClusterCertificates.keyOf(crt));
  }

  public PortPlan ports() {
    return options.ports();
  }

  /**
   * Writes the configurations, starts every member and waits for a leader (a linearizable read
   * through the cluster succeeds).
   */
  @Override
  public ProcessCluster start() {
    PortPlan.requireFree("aimstore", ports().members(size()));
    try {
      Files.createDirectories(dir);
      writeConfigs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    for (int i = 1; i <= size(); i++) {
      // a member the script started just before an interrupt is still found and stopped
      options
          .registry()
          .registerPidFile("aimstore n" + i, dir.resolve("n" + i).resolve("pid"), dir.toString());
      probes.put(
          i,
          AimStoreClient.builder()
              .endpoints(endpoint(i))
              .tls(tls())
              .attemptTimeout(Duration.ofMillis(1500))
              .requestTimeout(Duration.ofMillis(2000))
              .name("testkit-probe-n" + i)
              .build());
    }
    anyMember =
        AimStoreClient.builder()
            .endpoints(endpoints())
            .tls(tls())
            .attemptTimeout(Duration.ofMillis(1500))
            .requestTimeout(Duration.ofSeconds(5))
            .name("testkit-probe")
            .build();
    for (int i = 1; i <= size(); i++) {
      start(i);
    }
    if (awaitLeader(options.leaderTimeout()).isEmpty()) {
      throw new IllegalStateException(
          "no leader within "
              + options.leaderTimeout().toSeconds()
              + " s; see "
              + dir
              + "/n*/server.log");
    }
    return this;
  }

  private void writeConfigs() throws IOException {
    PortPlan ports = ports();
    for (int i = 1; i <= size(); i++) {
      Path member = dir.resolve("n" + i);
      Files.createDirectories(member);
      StringBuilder conf = new StringBuilder("# written by the testkit's ProcessCluster\n");
      conf.append("cluster = ").append(options.clusterName()).append('\n');
      conf.append("name = n").append(i).append('\n');
      conf.append("data-dir = ").append(dataDir(i)).append('\n');
      options.settings().forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
      if (options.secure()) {
        Path crt = certs().member("n" + i, List.of("127.0.0.1", "localhost"), CERT_VALIDITY);
        conf.append("tls-ca = ").append(certs().dir().resolve("ca.crt")).append('\n');
        conf.append("tls-cert = ").append(crt).append('\n');
        conf.append("tls-key = ").append(ClusterCertificates.keyOf(crt)).append('\n');
      } else {
        conf.append("insecure = true\n");
      }
      for (int j = 1; j <= size(); j++) {
        int raft = options.proxiedRaft() && i != j ? ports.proxy(i, j) : ports.raft(j);
        conf.append("member = n").append(j);
        conf.append("@raft=127.0.0.1:").append(raft);
        conf.append(",client=127.0.0.1:").append(ports.client(j));
        conf.append(",metrics=127.0.0.1:").append(ports.metrics(j)).append('\n');
      }
      Files.writeString(member.resolve("aimstore.conf"), conf);
    }
    Files.writeString(
        dir.resolve("cluster.env"),
        "SIZE="
            + size()
            + "\nBASE="
            + ports.base()
            + "\n"
            + (options.secure() ? "" : "INSECURE=1\n"));
  }

  /**
   * Starts member {@code i} (its data kept, or empty after {@link #wipe}); tries three times, a
   * second apart (the ports of a process just killed may not be free yet).
   */
  @Override
  public void start(int i) {
    UncheckedIOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        script("start", Integer.toString(i));
        registerPid(i);
        return;
      } catch (UncheckedIOException e) {
        last = e;
        sleep(1000);
      }
    }
    throw last;
  }

  /** SIGTERM, then SIGKILL if it has not ended within 10 s. */
  @Override
  public void stop(int i) {
    script("stop", Integer.toString(i));
    forgetPid(i);
  }

  /** SIGKILL; returns once the process is gone. */
  @Override
  public void kill9(int i) {
    script("kill-9", Integer.toString(i));
    forgetPid(i);
  }

  @Override
  public void pause(int i) {
    script("pause", Integer.toString(i));
  }

  @Override
  public void resume(int i) {
    script("resume", Integer.toString(i));
  }

  @Override
  public void wipe(int i) {
    script("wipe", Integer.toString(i));
    forgetPid(i);
  }

  /**
   * Stops every member at once: SIGTERM, SIGKILL for those still running after {@code grace};
   * returns once they are gone. Data is kept.
   */
  public void stopAll(Duration grace) {
    options.registry().stop(List.copyOf(pids.values()), grace);
    pids.clear();
  }

  /** Starts every member at once (the script takes a fraction of a second for each). */
  public void startAll() {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (int i = 1; i <= size(); i++) {
      int member = i;
      started.add(CompletableFuture.runAsync(() -> start(member)));
    }
    try {
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the members", e);
    }
  }

  @Override
  public boolean running(int i) {
    return pid(i).isPresent();
  }

  /** Whether member {@code i} is stopped by SIGSTOP. */
  public boolean paused(int i) {
    OptionalLong pid = pid(i);
    return pid.isPresent() && ProcStat.stopped(pid.getAsLong());
  }

  /** Member {@code i}'s process, if it runs (paused included). */
  public OptionalLong pid(int i) {
    Path file = dir.resolve("n" + i).resolve("pid");
    try {
      long pid = Long.parseLong(Files.readString(file).strip());
      return ProcStat.exited(pid) ? OptionalLong.empty() : OptionalLong.of(pid);
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private void registerPid(int i) {
    pid(i)
        .ifPresent(
            pid -> {
              Long before = pids.put(i, pid);
              if (before == null || before != pid) {
                options.registry().register("aimstore n" + i, pid);
              }
            });
  }

  private void forgetPid(int i) {
    Long pid = pids.remove(i);
    if (pid != null) {
      options.registry().forget(pid);
    }
  }

  /** Member {@code i}'s own status, if it runs, is not paused and answers within three seconds. */
  public CompletableFuture<Optional<StatusResponse>> status(int i) {
    if (!running(i) || paused(i)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return probes
        .get(i)
        .cluster()
        .status("")
        .orTimeout(3, TimeUnit.SECONDS)
        .handle((r, e) -> e == null ? Optional.of(r) : Optional.empty());
  }

  /** Every member's status, asked of all at once: element i-1 is member i's. */
  private List<Optional<StatusResponse>> statuses() {
    List<CompletableFuture<Optional<StatusResponse>>> all = new ArrayList<>();
    for (int i = 1; i <= size(); i++) {
      all.add(status(i));
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  /** The member that says it leads, in the highest term any member reports; empty if none. */
  @Override
  public OptionalInt leader() {
    List<Optional<StatusResponse>> all = statuses();
    int leader = -1;
    long term = -1;
    for (int i = 1; i <= size(); i++) {
      Optional<StatusResponse> s = all.get(i - 1);
      if (s.isPresent() && "LEADER".equals(s.get().getRole()) && s.get().getRaftTerm() > term) {
        leader = i;
        term = s.get().getRaftTerm();
      }
    }
    return leader < 0 ? OptionalInt.empty() : OptionalInt.of(leader);
  }

  /** Waits until a member leads and a linearizable read through the cluster succeeds. */
  @Override
  public OptionalInt awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      OptionalInt leader = leader();
      if (leader.isPresent()) {
        try {
          anyMember.kv().get(PROBE_KEY).get(5, TimeUnit.SECONDS);
          return leader;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return OptionalInt.empty();
        } catch (Exception e) {
          // not serving yet
        }
      }
      if (!sleep(200)) {
        break;
      }
    }
    return OptionalInt.empty();
  }

  /**
   * Waits until every member runs, answers, names the same leader, and has applied what the leader
   * had committed when this wait began (after a fault is healed; so that a member rebuilt from
   * nothing holds the data again before the next fault); returns whether that happened in time.
   */
  public boolean awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long target = -1;
    while (System.nanoTime() < deadline) {
      List<StatusResponse> statuses = statuses().stream().flatMap(Optional::stream).toList();
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
      if (!sleep(250)) {
        break;
      }
    }
    return false;
  }

  @Override
  public String endpoint(int i) {
    return ports().clientAddress(i);
  }

  @Override
  public AimStoreClient client(List<String> endpoints) {
    return clients.open(endpoints);
  }

  @Override
  public Path dataDir(int i) {
    return dir.resolve("n" + i).resolve("data");
  }

  /**
   * Runs {@code ops/bin/aimstore-cluster} on this cluster's directory, its output appended to
   * {@code dir/aimstore-cluster.log}. The members see no {@code AIMSTORE_*} variable of this JVM's
   * environment (they read them as configuration), only the failpoints and JVM options asked for.
   */
  private void script(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(bin.resolve("ops/bin/aimstore-cluster").toString());
    cmd.add("--dir");
    cmd.add(dir.toString());
    cmd.add("--base-port");
    cmd.add(Integer.toString(ports().base()));
    cmd.addAll(List.of(args));
    Map<String, String> env = new LinkedHashMap<>();
    System.getenv().keySet().stream()
        .filter(k -> k.startsWith("AIMSTORE_"))
        .forEach(k -> env.put(k, null));
    if (!options.failpoints().isBlank()) {
      // the failpoints live in the testkit, never in the shipped server: put it on the classpath
      env.put(FailpointInjection.VARIABLE, options.failpoints());
      env.put("AIMSTORE_EXTRA_CLASSPATH", testkitClasspath());
    }
    if (options.javaOpts() != null) {
      env.put("AIMSTORE_JAVA_OPTS", options.javaOpts());
    }
    Path log = dir.resolve("aimstore-cluster.log");
    try {
      int rc = Commands.run(cmd, env, log, SCRIPT_LIMIT);
      if (rc != 0) {
        throw new IOException(
            "aimstore-cluster "
                + String.join(" ", args)
                + " failed (exit "
                + rc
                + "):\n"
                + Commands.tail(log, 20));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: aimstore-cluster " + String.join(" ", args), e);
    }
  }

  /**
   * Where the testkit's classes (and so {@link FailpointInjection}, for the members) are loaded
   * from. Found through this class: loading FailpointInjection here would need the server's classes
   * in this JVM, which the testkit's users (chaos-tests, bench) do not have.
   */
  private static String testkitClasspath() {
    try {
      return Path.of(
              ProcessCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Kills every member (SIGKILL) and closes the clients. */
  @Override
  public void close() {
    killMembers();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // shutting down already, or never registered
    }
    clients.closeAll();
    probes.values().forEach(AimStoreClient::close);
    if (anyMember != null) {
      anyMember.close();
    }
  }

  private void killMembers() {
    for (int i : List.copyOf(pids.keySet())) {
      Long pid = pids.remove(i);
      if (pid != null) {
        options.registry().kill9(pid);
      }
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
   * killed outright and could not clean up): only processes whose command line names a
   * configuration in that run's directory.
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
                        System.out.println("testkit: killing leftover member pid " + pid);
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

  /** Sleeps; false if interrupted (the interrupt is kept). */
  private static boolean sleep(long ms) {
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
