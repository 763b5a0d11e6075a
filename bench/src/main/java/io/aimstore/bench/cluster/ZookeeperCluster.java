package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.ZookeeperDriver;
import io.aimstore.testkit.ProcessRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * ZooKeeper's 3 members, each a separate JVM running {@code QuorumPeerMain} from the bench's own
 * classpath, with the same heap and collector as aimstore's members. Data (its transaction logs
 * grow ~0.5 GB per member per 5 minutes of load) is deleted when the cluster stops.
 */
public final class ZookeeperCluster extends ChildProcessCluster {
  /** Same heap and collector as ops/bin/aimstore-cluster gives aimstore's members. */
  public static final List<String> JVM_OPTIONS =
      List.of("-Xms128m", "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");

  private final ZookeeperConfig config;

  public ZookeeperCluster(ZookeeperConfig config, ProcessRegistry registry) {
    super(config, registry, Duration.ofMillis(500), Duration.ofSeconds(10));
    this.config = config;
  }

  @Override
  public SystemKind kind() {
    return SystemKind.ZOOKEEPER;
  }

  @Override
  void prepare() throws IOException {
    Files.createDirectories(config.dir());
    Files.writeString(logback(), ZookeeperConfig.logbackXml(), StandardCharsets.UTF_8);
    for (int i = 1; i <= config.members(); i++) {
      Files.createDirectories(config.dataDir(i));
      Files.writeString(config.dataDir(i).resolve("myid"), i + "\n", StandardCharsets.UTF_8);
      Files.writeString(config.configFile(i), config.zooCfg(i), StandardCharsets.UTF_8);
    }
  }

  private Path logback() {
    return config.dir().resolve("logback-zk.xml");
  }

  /** Member {@code member}'s JVM on its configuration and data. */
  @Override
  List<String> command(int member) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_OPTIONS);
    cmd.add("-Dlogback.configurationFile=" + logback());
    cmd.add("-Dzookeeper.admin.enableServer=false");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.apache.zookeeper.server.quorum.QuorumPeerMain");
    cmd.add(config.configFile(member).toString());
    return cmd;
  }

  @Override
  Path log(int member) {
    return config.memberDir(member).resolve("zookeeper.log");
  }

  @Override
  public Driver connect() throws Exception {
    return new ZookeeperDriver(config.connectString(), Duration.ofSeconds(90));
  }

  @Override
  public Driver connect(int member) throws Exception {
    return new ZookeeperDriver(clientAddress(member), Duration.ofSeconds(30));
  }

  /** The member whose {@code srvr} answer says {@code Mode: leader}. */
  @Override
  public OptionalInt leaderMember() {
    for (int i = 1; i <= config.members(); i++) {
      String srvr = ZookeeperFourLetter.ask(config.clientPort(i), "srvr", 2000);
      if (ZookeeperFourLetter.mode(srvr).filter("leader"::equals).isPresent()) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  @Override
  public String version() {
    return "ZooKeeper " + org.apache.zookeeper.Version.getFullVersion();
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("started as", "3 JVMs running QuorumPeerMain, " + String.join(" ", JVM_OPTIONS));
    s.put("client ports", clientPorts());
    s.put("durability", "forceSync=yes (fsync of the transaction log before acknowledging)");
    s.put(
        "config",
        "tickTime=2000, initLimit=10, syncLimit=5, minSessionTimeout=3000,"
            + " admin.enableServer=false");
    return s;
  }
}
