package io.aimstore.testkit;

import io.aimstore.certs.ClusterCertificates;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.TlsFiles;
import io.aimstore.server.AimstoreNode;
import io.aimstore.server.ConfigException;
import io.aimstore.server.NodeConfig;
import io.aimstore.server.SecuritySettings;
import io.aimstore.server.api.MemberEndpoints;
import io.aimstore.server.raft.FormatVersion;
import io.aimstore.server.raft.RaftSettings;
import io.aimstore.server.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A cluster of real members in this JVM: real Ratis, real gRPC on loopback ports of a {@link
 * PortPlan#free free port plan}, real RocksDB under a directory of the test's ({@code dir/nI}).
 * Needs {@code aimstore-server} on the classpath. Its members' internals are at hand through {@link
 * #node}; {@link #kill9} stops a member (a JVM cannot kill part of itself) and {@link #pause} is
 * not supported.
 */
public final class InProcessCluster implements Cluster {
  /** Fast elections and small log segments, so that purging and snapshots happen in tests. */
  public static final RaftSettings SETTINGS =
      RaftSettings.DEFAULT
          .withElectionTimeouts(Duration.ofMillis(300), Duration.ofMillis(600))
          .withLogRetention(16 * 1024, 10);

  private final Path base;

  /** Members a cluster can grow to ({@link PortPlan} lays out ports for up to 9). */
  public static final int MAX_MEMBERS = 9;

  private final Map<String, MemberEndpoints> members = new LinkedHashMap<>();
  private final AimstoreNode[] nodes;
  private final Set<Integer> joined = new HashSet<>();
  private PortPlan plan;
  private int size;
  private final RaftSettings raft;
  private final Clients clients = new Clients(this::tls);
  private final Map<Integer, Clock> clocks = new HashMap<>();
  private final Map<Integer, Integer> formatVersions = new HashMap<>();
  private ClusterCertificates certs;
  private String clusterToken;
  private StorageOptions storage = StorageOptions.DEFAULT;

  public InProcessCluster(Path base, int size) {
    this(base, size, SETTINGS);
  }

  public InProcessCluster(Path base, int size, RaftSettings raft) {
    this.base = base;
    this.raft = raft;
    this.nodes = new AimstoreNode[MAX_MEMBERS];
    this.size = size;
    pickPorts();
  }

  private void pickPorts() {
    plan = PortPlan.free();
    members.clear();
    for (int i = 1; i <= size; i++) {
      members.put("n" + i, endpoints(i));
    }
  }

  private MemberEndpoints endpoints(int i) {
    return new MemberEndpoints(
        "n" + i,
        "127.0.0.1:" + plan.raft(i),
        "127.0.0.1:" + plan.client(i),
        "127.0.0.1:" + plan.metrics(i));
  }

  /**
   * Starts a new member {@code n<size+1>} that joins the running cluster ({@code join = true}): it
   * waits, knowing no configuration, until the leader adds it ({@code aimctl member add}, {@link
   * #raftAddress}). The cluster's size grows by one. Returns the new member's index.
   */
  public int startJoiningMember() {
    if (size == MAX_MEMBERS) {
      throw new IllegalStateException("a cluster here has at most " + MAX_MEMBERS + " members");
    }
    int i = ++size;
    members.put("n" + i, endpoints(i));
    joined.add(i);
    start(i);
    return i;
  }

  /** Member {@code i}'s Raft host:port. */
  public String raftAddress(int i) {
    return members.get("n" + i).raft();
  }

  /** Member {@code i}'s metrics host:port. */
  public String metricsAddress(int i) {
    return members.get("n" + i).metrics();
  }

  /**
   * Starts every member and waits for a leader. A port found free may be taken by someone else
   * before the member binds it; then every member starts again on another plan (up to three times).
   */
  @Override
  public InProcessCluster start() {
    for (int attempt = 1; ; attempt++) {
      try {
        for (int i = 1; i <= size; i++) {
          start(i);
        }
        awaitLeader();
        return this;
      } catch (UncheckedIOException e) {
        if (!portTaken(e) || attempt == 3) {
          throw e;
        }
        for (int i = 1; i <= size; i++) {
          stop(i);
        }
        pickPorts();
      }
    }
  }

  @Override
  public int size() {
    return size;
  }

  /**
   * Makes the members run with mutual TLS: a CA and member certificates under {@code base/tls} (see
   * {@link ClusterCertificates}). Call before {@link #start()}.
   */
  public InProcessCluster secure() {
    certs = new ClusterCertificates(base.resolve("tls"), Clock.systemUTC());
    return this;
  }

  @Override
  public TlsFiles tls() {
    if (certs == null) {
      return null;
    }
    Path crt = certs.operator(ClusterCertificates.OPERATOR, Duration.ofDays(1));
    return new TlsFiles(certs.dir().resolve("ca.crt"), crt, ClusterCertificates.keyOf(crt));
  }

  /** The cluster's certificates; null unless {@link #secure()}. */
  public ClusterCertificates certs() {
    return certs;
  }

  /**
   * The members belong to a cluster restored from a snapshot with this token (what {@code aimstore
   * restore} printed): configured as {@code cluster-token}, from their next start.
   */
  public InProcessCluster clusterToken(String token) {
    this.clusterToken = token;
    return this;
  }

  /** The members' storage settings, e.g. a small quota (from their next start). */
  public InProcessCluster storage(StorageOptions options) {
    this.storage = options;
    return this;
  }

  /** Member {@code i} runs with {@code clock} as its wall clock (from its next start). */
  public InProcessCluster clock(int i, Clock clock) {
    clocks.put(i, clock);
    return this;
  }

  /**
   * Member {@code i} claims to apply log-entry format versions up to {@code max} (from its next
   * start), as a member of an older or newer release would in a rolling upgrade (default: this
   * build's {@link FormatVersion#CURRENT}).
   */
  public InProcessCluster maxFormatVersion(int i, int max) {
    formatVersions.put(i, max);
    return this;
  }

  private SecuritySettings security(String name) {
    if (certs == null) {
      return SecuritySettings.insecureForDevelopment();
    }
    Path crt = certs.member(name, List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
    return new SecuritySettings(
        false,
        certs.dir().resolve("ca.crt"),
        crt,
        ClusterCertificates.keyOf(crt),
        SecuritySettings.DEFAULT_MAX_QUARANTINE);
  }

  @Override
  public void start(int i) {
    NodeConfig config =
        new NodeConfig("test", "n" + i, dataDir(i), members, raft, storage, security("n" + i))
            .withJoin(joined.contains(i))
            .withClusterToken(clusterToken);
    try {
      nodes[i - 1] =
          AimstoreNode.start(
              config,
              clocks.getOrDefault(i, Clock.systemUTC()),
              formatVersions.getOrDefault(i, FormatVersion.CURRENT));
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop(int i) {
    AimstoreNode n = nodes[i - 1];
    nodes[i - 1] = null;
    if (n != null) {
      n.close();
    }
  }

  /** Stops member {@code i}: a member in this JVM cannot be killed. */
  @Override
  public void kill9(int i) {
    stop(i);
  }

  @Override
  public void pause(int i) {
    throw new UnsupportedOperationException("a member in this JVM cannot be paused");
  }

  @Override
  public void resume(int i) {
    throw new UnsupportedOperationException("a member in this JVM cannot be paused");
  }

  /** Stops member {@code i} and deletes its data directory. */
  @Override
  public void wipe(int i) {
    stop(i);
    Commands.deleteTree(dataDir(i));
  }

  @Override
  public boolean running(int i) {
    return nodes[i - 1] != null;
  }

  /** Member {@code i}'s node, or null while it is stopped. */
  public AimstoreNode node(int i) {
    return nodes[i - 1];
  }

  /** The first running member that leads (Ratis' own view). */
  @Override
  public OptionalInt leader() {
    for (int i = 1; i <= size; i++) {
      if (nodes[i - 1] != null && nodes[i - 1].raft().isLeader()) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  @Override
  public OptionalInt awaitLeader(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      OptionalInt leader = leader();
      if (leader.isPresent()) {
        return leader;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return OptionalInt.empty();
  }

  @Override
  public String endpoint(int i) {
    return members.get("n" + i).client();
  }

  @Override
  public AimStoreClient client(List<String> endpoints) {
    return clients.open(endpoints);
  }

  @Override
  public Path dataDir(int i) {
    return base.resolve("n" + i);
  }

  @Override
  public void close() {
    clients.closeAll();
    for (int i = 1; i <= size; i++) {
      stop(i);
    }
  }

  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }
}
