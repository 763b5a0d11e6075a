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

/** etcd's 3 members as child processes of the bench (Debian's etcd-server binary). */
public final class EtcdCluster implements Cluster {
  private final EtcdConfig config;
  private final Path etcd;
  private final String version;
  private final ProcessRegistry registry;
  private final List<Long> pids = new ArrayList<>();

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
    for (int i = 1; i <= config.members(); i++) {
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
      pids.add(p.pid());
      registry.register("etcd n" + i, p.pid());
    }
    Thread.sleep(300);
    for (int i = 0; i < pids.size(); i++) {
      if (registry.handle(pids.get(i)).isEmpty()) {
        Path log = config.dir().resolve("n" + (i + 1)).resolve("etcd.log");
        throw new IOException("etcd n" + (i + 1) + " exited at start:\n" + Commands.tail(log, 20));
      }
    }
  }

  @Override
  public Driver connect() {
    return new EtcdDriver(config.clientUrls());
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
    // A stopping etcd leader first tries to hand leadership to a peer, which is stopping too and
    // never takes it; after 2 s the data is about to be deleted anyway.
    registry.stop(List.copyOf(pids), Duration.ofSeconds(2));
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
    s.put("flags", "defaults, plus --quota-backend-bytes=8GiB --log-level=warn");
    return s;
  }
}
