package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.ZookeeperDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ZooKeeper's 3 members, each a separate JVM running {@code QuorumPeerMain} from the bench's own
 * classpath, with the same heap and collector as aimstore's members. Data (its transaction logs
 * grow ~0.5 GB per member per 5 minutes of load) is deleted when the cluster stops.
 */
public final class ZookeeperCluster implements Cluster {
  /** Same heap and collector as ops/bin/aimstore-cluster gives aimstore's members. */
  public static final List<String> JVM_OPTIONS =
      List.of("-Xms128m", "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");

  private final ZookeeperConfig config;
  private final ProcessRegistry registry;
  private final List<Long> pids = new ArrayList<>();

  public ZookeeperCluster(ZookeeperConfig config, ProcessRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public SystemKind kind() {
    return SystemKind.ZOOKEEPER;
  }

  @Override
  public void start() throws Exception {
    Ports.requireFree("ZooKeeper", config.ports());
    Files.createDirectories(config.dir());
    Path logback = config.dir().resolve("logback-zk.xml");
    Files.writeString(logback, ZookeeperConfig.logbackXml(), StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    for (int i = 1; i <= config.members(); i++) {
      Files.createDirectories(config.dataDir(i));
      Files.writeString(config.dataDir(i).resolve("myid"), i + "\n", StandardCharsets.UTF_8);
      Files.writeString(config.configFile(i), config.zooCfg(i), StandardCharsets.UTF_8);
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      cmd.addAll(JVM_OPTIONS);
      cmd.add("-Dlogback.configurationFile=" + logback);
      cmd.add("-Dzookeeper.admin.enableServer=false");
      cmd.add("-cp");
      cmd.add(classpath);
      cmd.add("org.apache.zookeeper.server.quorum.QuorumPeerMain");
      cmd.add(config.configFile(i).toString());
      Path log = config.memberDir(i).resolve("zookeeper.log");
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      pids.add(p.pid());
      registry.register("zookeeper n" + i, p.pid());
    }
    Thread.sleep(500);
    for (int i = 0; i < pids.size(); i++) {
      if (registry.handle(pids.get(i)).isEmpty()) {
        Path log = config.memberDir(i + 1).resolve("zookeeper.log");
        throw new IOException(
            "ZooKeeper n" + (i + 1) + " exited at start:\n" + Commands.tail(log, 20));
      }
    }
  }

  @Override
  public Driver connect() throws Exception {
    return new ZookeeperDriver(config.connectString(), Duration.ofSeconds(90));
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
    registry.stop(List.copyOf(pids), Duration.ofSeconds(10));
    pids.clear();
    for (int i = 1; i <= config.members(); i++) {
      Commands.deleteTree(config.dataDir(i));
    }
  }

  @Override
  public String version() {
    return "ZooKeeper " + org.apache.zookeeper.Version.getFullVersion();
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("started as", "3 JVMs running QuorumPeerMain, " + String.join(" ", JVM_OPTIONS));
    s.put("client ports", config.clientPort(1) + "-" + config.clientPort(config.members()));
    s.put("durability", "forceSync=yes (fsync of the transaction log before acknowledging)");
    s.put("config", "tickTime=2000, initLimit=10, syncLimit=5, admin.enableServer=false");
    return s;
  }
}
