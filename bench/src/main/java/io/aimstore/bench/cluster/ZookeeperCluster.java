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
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

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

  /** Member index → PID of its current JVM. */
  private final Map<Integer, Long> pids = new ConcurrentHashMap<>();

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
    Files.writeString(logback(), ZookeeperConfig.logbackXml(), StandardCharsets.UTF_8);
    for (int i = 1; i <= config.members(); i++) {
      Files.createDirectories(config.dataDir(i));
      Files.writeString(config.dataDir(i).resolve("myid"), i + "\n", StandardCharsets.UTF_8);
      Files.writeString(config.configFile(i), config.zooCfg(i), StandardCharsets.UTF_8);
    }
    startMembers();
  }

  private Path logback() {
    return config.dir().resolve("logback-zk.xml");
  }

  /** Launches member {@code i}'s JVM on its config and data. */
  private void launch(int i) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(JVM_OPTIONS);
    cmd.add("-Dlogback.configurationFile=" + logback());
    cmd.add("-Dzookeeper.admin.enableServer=false");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.apache.zookeeper.server.quorum.QuorumPeerMain");
    cmd.add(config.configFile(i).toString());
    Path log = config.memberDir(i).resolve("zookeeper.log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    pids.put(i, p.pid());
    registry.register("zookeeper n" + i, p.pid());
  }

  private void checkAlive(int i) throws IOException {
    if (memberPid(i).isEmpty()) {
      Path log = config.memberDir(i).resolve("zookeeper.log");
      throw new IOException("ZooKeeper n" + i + " exited at start:\n" + Commands.tail(log, 20));
    }
  }

  @Override
  public void startMember(int member) throws Exception {
    launch(member);
    Thread.sleep(500);
    checkAlive(member);
  }

  @Override
  public void startMembers() throws Exception {
    for (int i = 1; i <= config.members(); i++) {
      launch(i);
    }
    Thread.sleep(500);
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
  public Path dataDir(int member) {
    return config.dataDir(member);
  }

  @Override
  public boolean jvm() {
    return true;
  }

  @Override
  public Driver connect() throws Exception {
    return new ZookeeperDriver(config.connectString(), Duration.ofSeconds(90));
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
    registry.stop(List.copyOf(pids.values()), Duration.ofSeconds(10));
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
    s.put(
        "config",
        "tickTime=2000, initLimit=10, syncLimit=5, minSessionTimeout=3000,"
            + " admin.enableServer=false");
    return s;
  }
}
