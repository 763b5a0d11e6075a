package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.AimstoreDriver;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.EtcdDriver;
import io.aimstore.bench.report.TlsCost;
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
 * {@link ProcessRegistry}. Mutual TLS with the cluster's own certificates, except for {@link
 * SystemKind#AIMSTORE_PLAINTEXT}, whose members run {@code insecure} and whose clients connect in
 * plaintext.
 */
public final class AimstoreCluster implements Cluster {
  private static final int MEMBERS = 3;

  private final ProcessCluster members;
  private final String javaOpts;
  private final String version;
  private final SystemKind kind;

  /**
   * @param build a tree holding the scripts and jars (the run's {@code BuildSnapshot})
   * @param javaOpts the members' JVM options, or null for the script's default
   * @param kind how it is reached: {@link SystemKind#AIMSTORE} (own client, mutual TLS), {@link
   *     SystemKind#AIMSTORE_ETCD} (the etcd driver through aimstore's etcd v3 API, mutual TLS) or
   *     {@link SystemKind#AIMSTORE_PLAINTEXT} (own client, members and client in plaintext)
   */
  public AimstoreCluster(
      Path build,
      Path dir,
      PortPlan ports,
      String javaOpts,
      ProcessRegistry registry,
      String version,
      SystemKind kind) {
    if (kind.server() != SystemKind.AIMSTORE) {
      throw new IllegalArgumentException(kind.id() + " is not aimstore");
    }
    this.kind = kind;
    ProcessCluster.Options.Builder options =
        ProcessCluster.Options.builder()
            .size(MEMBERS)
            .ports(ports)
            .clusterName("bench")
            .javaOpts(javaOpts)
            .registry(registry)
            .leaderTimeout(Duration.ofMinutes(5));
    if (kind.plaintext()) {
      options.insecure();
    }
    this.members = new ProcessCluster(build, dir, options.build());
    this.javaOpts = javaOpts;
    this.version = version;
  }

  @Override
  public SystemKind kind() {
    return kind;
  }

  private Driver driver(List<String> addresses) {
    TlsFiles tls = members.tls();
    String scheme = tls == null ? "http://" : "https://";
    return kind.etcdApi()
        ? new EtcdDriver(addresses.stream().map(a -> scheme + a).toList(), kind, tls)
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
    s.put(
        TlsCost.TRANSPORT,
        kind.plaintext()
            ? "plaintext on every port (members run insecure, every caller trusted)"
            : "mutual TLS 1.3 on the client and Raft ports, certificates under the cluster's tls/");
    s.put("durability", "Ratis defaults: fsync before acknowledging");
    return s;
  }
}
