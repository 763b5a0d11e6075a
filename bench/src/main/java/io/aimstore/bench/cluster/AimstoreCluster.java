package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.AimstoreDriver;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.EtcdDriver;
import io.aimstore.client.TlsFiles;
import io.aimstore.testkit.Commands;
import io.aimstore.testkit.PortPlan;
import io.aimstore.testkit.ProcessCluster;
import io.aimstore.testkit.ProcessRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * aimstore's 3 members: the testkit's {@link ProcessCluster} in a fresh directory, run through
 * {@code ops/bin/aimstore-cluster} from the run's copy of the build, on its own ports (client ports
 * BASE+1..3, Raft BASE+11..13, metrics BASE+21..23), every member registered with the bench's
 * {@link ProcessRegistry}.
 */
public final class AimstoreCluster implements Cluster {
  private static final int MEMBERS = 3;

  private final ProcessCluster members;
  private final String javaOpts;
  private final String version;
  private final boolean etcdApi;

  /**
   * @param build a tree holding the scripts and jars (the run's {@code BuildSnapshot})
   * @param javaOpts the members' JVM options, or null for the script's default
   * @param etcdApi clients are the etcd driver, through aimstore's etcd v3 API ({@link
   *     SystemKind#AIMSTORE_ETCD}); otherwise aimstore's own client
   */
  public AimstoreCluster(
      Path build,
      Path dir,
      PortPlan ports,
      String javaOpts,
      ProcessRegistry registry,
      String version,
      boolean etcdApi) {
    this.etcdApi = etcdApi;
    this.members =
        new ProcessCluster(
            build,
            dir,
            ProcessCluster.Options.builder()
                .size(MEMBERS)
                .ports(ports)
                .clusterName("bench")
                .javaOpts(javaOpts)
                .registry(registry)
                .leaderTimeout(Duration.ofMinutes(5))
                .build());
    this.javaOpts = javaOpts;
    this.version = version;
  }

  @Override
  public SystemKind kind() {
    return etcdApi ? SystemKind.AIMSTORE_ETCD : SystemKind.AIMSTORE;
  }

  private Driver driver(List<String> addresses) {
    TlsFiles tls = members.tls();
    String scheme = tls == null ? "http://" : "https://";
    return etcdApi
        ? new EtcdDriver(addresses.stream().map(a -> scheme + a).toList(), kind(), tls)
        : new AimstoreDriver(addresses, tls);
  }

  @Override
  public TlsFiles tls() {
    return members.tls();
  }

  /** Starts the members and returns once one of them leads. */
  @Override
  public void start() {
    members.start();
  }

  @Override
  public Driver connect() {
    return driver(members.endpoints());
  }

  @Override
  public OptionalLong memberPid(int member) {
    return members.pid(member);
  }

  @Override
  public String clientAddress(int member) {
    return members.endpoint(member);
  }

  @Override
  public Driver connect(int member) {
    return driver(List.of(clientAddress(member)));
  }

  /** The member that says it leads (each member's Status). */
  @Override
  public OptionalInt leaderMember() {
    return members.leader();
  }

  /** {@code aimstore-cluster kill-9 I}: SIGKILL, and the script waits until the process is gone. */
  @Override
  public void kill9(int member) {
    members.kill9(member);
  }

  /** {@code aimstore-cluster start I}. */
  @Override
  public void startMember(int member) {
    members.start(member);
  }

  @Override
  public void stopMembers() {
    members.stopAll(Duration.ofSeconds(10));
  }

  @Override
  public void startMembers() {
    members.startAll();
  }

  @Override
  public Path dataDir(int member) {
    return members.dataDir(member);
  }

  /** SIGTERM to all members at once, SIGKILL to those left after 10 s; deletes their data. */
  @Override
  public void stop() {
    members.stopAll(Duration.ofSeconds(10));
    members.close();
    for (int i = 1; i <= MEMBERS; i++) {
      Commands.deleteTreeQuietly(dataDir(i));
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
        "ops/bin/aimstore-cluster start I for each member (configurations written by the testkit's"
            + " ProcessCluster), base port "
            + members.ports().base()
            + ", run from a copy of the build taken when the run started");
    s.put("client ports", clientPorts());
    s.put(
        "JVM options",
        javaOpts != null ? javaOpts : "the script's default (-Xms128m -Xmx1g -XX:+UseG1GC)");
    s.put("durability", "Ratis defaults: fsync before acknowledging");
    return s;
  }
}
