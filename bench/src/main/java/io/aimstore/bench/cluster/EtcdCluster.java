package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.EtcdDriver;
import io.aimstore.testkit.ProcessRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** etcd's 3 members as child processes of the bench (Debian's etcd-server binary). */
public final class EtcdCluster extends ChildProcessCluster {
  private final EtcdConfig config;
  private final Path etcd;
  private final String version;

  public EtcdCluster(EtcdConfig config, Path etcd, String version, ProcessRegistry registry) {
    // A stopping etcd leader first tries to hand leadership to a peer, which is stopping too and
    // never takes it; after 2 s the data is about to be deleted anyway.
    super(config, registry, Duration.ofMillis(300), Duration.ofSeconds(2));
    this.config = config;
    this.etcd = etcd;
    this.version = version;
  }

  @Override
  public SystemKind kind() {
    return SystemKind.ETCD;
  }

  @Override
  List<String> command(int member) {
    List<String> cmd = new ArrayList<>();
    cmd.add(etcd.toString());
    cmd.addAll(config.args(member));
    return cmd;
  }

  @Override
  Path log(int member) {
    return config.dir().resolve("n" + member).resolve("etcd.log");
  }

  @Override
  public Driver connect() {
    return new EtcdDriver(config.clientUrls());
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

  /**
   * Forces a collection ({@code /debug/pprof/heap?gc=1} runs {@code runtime.GC()}), then reads
   * {@code go_memstats_heap_alloc_bytes} from {@code /metrics}: the live Go heap.
   */
  @Override
  public long liveHeapKib(int member) {
    String base = config.clientUrl(member);
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      http.send(get(base + "/debug/pprof/heap?gc=1"), HttpResponse.BodyHandlers.discarding());
      String metrics =
          http.send(get(base + "/metrics"), HttpResponse.BodyHandlers.ofString()).body();
      double bytes = prometheusValue(metrics, "go_memstats_heap_alloc_bytes");
      return bytes < 0 ? -1 : Math.round(bytes / 1024);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
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
  public String version() {
    return "etcd " + version;
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("binary", etcd + " (Debian etcd-server)");
    s.put("client ports", clientPorts());
    s.put("durability", "etcd defaults: WAL fsync before acknowledging");
    s.put(
        "flags",
        "defaults, plus --quota-backend-bytes=8GiB --log-level=warn --enable-pprof (to force a GC"
            + " before memory readings)");
    return s;
  }
}
