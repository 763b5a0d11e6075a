package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
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
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** etcd's 3 members as child processes of the bench (Debian's etcd-server binary). */
public final class EtcdCluster implements Cluster {
  private final EtcdConfig config;
  private final Path etcd;
  private final String version;
  private final ProcessRegistry registry;

  /** Member index → PID of its current process. */
  private final Map<Integer, Long> pids = new ConcurrentHashMap<>();

  public EtcdCluster(EtcdConfig config, Path etcd, String version, ProcessRegistry registry) {
    this.config = config;
    this.etcd = etcd;
    this.version = version;
    this.registry = registry;
  }

  @Override
  public SystemKind kind() {
    return SystemKind.ETCD;
  }

  @Override
  public void start() throws Exception {
    Ports.requireFree("etcd", config.ports());
    startMembers();
  }

  /** Launches member {@code i}'s process (fresh data on the first start, its data after). */
  private void launch(int i) throws IOException {
    Path memberDir = config.dir().resolve("n" + i);
    Files.createDirectories(memberDir);
    List<String> cmd = new ArrayList<>();
    cmd.add(etcd.toString());
    cmd.addAll(config.args(i));
    Path log = memberDir.resolve("etcd.log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    pids.put(i, p.pid());
    registry.register("etcd n" + i, p.pid());
  }

  private void checkAlive(int i) throws IOException {
    if (memberPid(i).isEmpty()) {
      Path log = config.dir().resolve("n" + i).resolve("etcd.log");
      throw new IOException("etcd n" + i + " exited at start:\n" + Commands.tail(log, 20));
    }
  }

  @Override
  public void startMember(int member) throws Exception {
    launch(member);
    Thread.sleep(300);
    checkAlive(member);
  }

  @Override
  public void startMembers() throws Exception {
    for (int i = 1; i <= config.members(); i++) {
      launch(i);
    }
    Thread.sleep(300);
    for (int i = 1; i <= config.members(); i++) {
      checkAlive(i);
    }
  }

  @Override
  public void stopMembers() {
    registry.stop(List.copyOf(pids.values()), Duration.ofSeconds(10));
  }

  @Override
  public void kill9(int member) {
    Long pid = pids.get(member);
    if (pid != null) {
      registry.kill9(pid);
    }
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
    return "127.0.0.1:" + config.clientPort(member);
  }

  @Override
  public Driver connect(int member) {
    return new EtcdDriver(List.of(config.clientUrl(member)));
  }

  /** Each member's Maintenance.Status (see {@link EtcdStatus}). */
  @Override
  public OptionalInt leaderMember() {
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= config.members(); i++) {
      addresses.add(clientAddress(i));
    }
    return EtcdStatus.leaderMember(addresses);
  }

  @Override
  public Path dataDir(int member) {
    return config.dataDir(member);
  }

  @Override
  public boolean jvm() {
    return false;
  }

  /**
   * Forces a collection ({@code /debug/pprof/heap?gc=1} runs {@code runtime.GC()}), then reads
   * {@code go_memstats_heap_alloc_bytes} from {@code /metrics}: the live Go heap.
   */
  @Override
  public long liveHeapKib(int member) {
    String base = config.clientUrl(member);
    try {
      java.net.http.HttpClient http =
          java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      http.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/debug/pprof/heap?gc=1"))
              .timeout(Duration.ofSeconds(30))
              .build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
      String metrics =
          http.send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics"))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      double bytes = prometheusValue(metrics, "go_memstats_heap_alloc_bytes");
      return bytes < 0 ? -1 : Math.round(bytes / 1024);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The value of an unlabelled sample {@code name} in Prometheus text format, or -1. */
  static double prometheusValue(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        try {
          return Double.parseDouble(line.substring(name.length() + 1).strip());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  @Override
  public Driver connect() {
    return new EtcdDriver(config.clientUrls());
  }

  @Override
  public List<Long> serverPids() {
    List<Long> alive = new ArrayList<>();
    for (int i = 1; i <= config.members(); i++) {
      memberPid(i).ifPresent(alive::add);
    }
    return alive;
  }

  @Override
  public void stop() {
    // A stopping etcd leader first tries to hand leadership to a peer, which is stopping too and
    // never takes it; after 2 s the data is about to be deleted anyway.
    registry.stop(List.copyOf(pids.values()), Duration.ofSeconds(2));
    pids.clear();
    for (int i = 1; i <= config.members(); i++) {
      Commands.deleteTree(config.dataDir(i));
    }
  }

  @Override
  public String version() {
    return "etcd " + version;
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("binary", etcd + " (Debian etcd-server)");
    s.put("client ports", config.clientPort(1) + "-" + config.clientPort(config.members()));
    s.put("durability", "etcd defaults: WAL fsync before acknowledging");
    s.put(
        "flags",
        "defaults, plus --quota-backend-bytes=8GiB --log-level=warn --enable-pprof (to force a GC"
            + " before memory readings)");
    return s;
  }
}
