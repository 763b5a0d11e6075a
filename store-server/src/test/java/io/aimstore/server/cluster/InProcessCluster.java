package io.aimstore.server.cluster;

import io.aimstore.certs.ClusterCertificates;
import io.aimstore.client.AimStoreClient;
import io.aimstore.server.AimstoreNode;
import io.aimstore.server.ConfigException;
import io.aimstore.server.NodeConfig;
import io.aimstore.server.SecuritySettings;
import io.aimstore.server.api.MemberEndpoints;
import io.aimstore.server.raft.RaftSettings;
import io.aimstore.server.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A cluster of real members in this JVM: real Ratis, real gRPC on loopback ports, real RocksDB in a
 * temporary directory. Members are numbered from 1 (names n1, n2, ...).
 */
public final class InProcessCluster implements AutoCloseable {
  private final Path base;
  private final Map<String, MemberEndpoints> members = new LinkedHashMap<>();
  private final AimstoreNode[] nodes;
  private final RaftSettings raft;
  private final List<AimStoreClient> clients = new ArrayList<>();
  private ClusterCertificates certs;
  private final Map<Integer, Clock> clocks = new java.util.HashMap<>();

  /** Fast elections and small log segments, so that purging and snapshots happen in tests. */
  public static final RaftSettings SETTINGS =
      RaftSettings.DEFAULT
          .withElectionTimeouts(Duration.ofMillis(300), Duration.ofMillis(600))
          .withLogRetention(16 * 1024, 10);

  public InProcessCluster(Path base, int size) {
    this(base, size, SETTINGS);
  }

  public InProcessCluster(Path base, int size, RaftSettings raft) {
    this.base = base;
    this.raft = raft;
    this.nodes = new AimstoreNode[size];
    pickPorts();
  }

  private void pickPorts() {
    for (int i = 1; i <= nodes.length; i++) {
      String name = "n" + i;
      members.put(
          name,
          new MemberEndpoints(
              name,
              "127.0.0.1:" + freePort(),
              "127.0.0.1:" + freePort(),
              "127.0.0.1:" + freePort()));
    }
  }

  /**
   * Starts every member. A port picked as free may be taken by an outgoing connection before the
   * member binds it; then every member starts again on new ports (up to three times).
   */
  public InProcessCluster start() {
    for (int attempt = 1; ; attempt++) {
      try {
        for (int i = 1; i <= nodes.length; i++) {
          start(i);
        }
        return this;
      } catch (UncheckedIOException e) {
        if (!portTaken(e) || attempt == 3) {
          throw e;
        }
        for (int i = 1; i <= nodes.length; i++) {
          stop(i);
        }
        pickPorts();
      }
    }
  }

  /**
   * Makes the members run with mutual TLS: a CA and member certificates under {@code base/tls} (see
   * {@link ClusterCertificates}). Call before {@link #start()}.
   */
  public InProcessCluster secure() {
    certs = new ClusterCertificates(base.resolve("tls"), Clock.systemUTC());
    return this;
  }

  /** Member {@code i} runs with {@code clock} as its wall clock (from its next start). */
  public InProcessCluster clock(int i, Clock clock) {
    clocks.put(i, clock);
    return this;
  }

  /** The cluster's certificates; null unless {@link #secure()}. */
  public ClusterCertificates certs() {
    return certs;
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

  public void start(int i) {
    NodeConfig config =
        new NodeConfig(
            "test",
            "n" + i,
            base.resolve("n" + i),
            members,
            raft,
            StorageOptions.DEFAULT,
            security("n" + i));
    try {
      nodes[i - 1] = AimstoreNode.start(config, clocks.getOrDefault(i, Clock.systemUTC()));
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void stop(int i) {
    AimstoreNode n = nodes[i - 1];
    nodes[i - 1] = null;
    if (n != null) {
      n.close();
    }
  }

  /** Stops member i and deletes its data directory. */
  public void wipe(int i) {
    stop(i);
    Path dir = base.resolve("n" + i);
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public AimstoreNode node(int i) {
    return nodes[i - 1];
  }

  public int size() {
    return nodes.length;
  }

  /** Index of the current leader among running members, waiting up to 10 s for one. */
  public int awaitLeader() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 1; i <= nodes.length; i++) {
        if (nodes[i - 1] != null && nodes[i - 1].raft().isLeader()) {
          return i;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("no leader within 10 s");
  }

  public String clientAddress(int i) {
    return members.get("n" + i).client();
  }

  /** A client of all members. */
  public AimStoreClient client() {
    return client(members.values().stream().map(MemberEndpoints::client).toList());
  }

  /** A client of one member only. */
  public AimStoreClient clientOf(int i) {
    return client(List.of(clientAddress(i)));
  }

  private AimStoreClient client(List<String> endpoints) {
    AimStoreClient c =
        AimStoreClient.builder()
            .endpoints(endpoints)
            .requestTimeout(Duration.ofSeconds(20))
            .attemptTimeout(Duration.ofSeconds(3))
            .build();
    clients.add(c);
    return c;
  }

  @Override
  public void close() {
    clients.forEach(AimStoreClient::close);
    for (int i = 1; i <= nodes.length; i++) {
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

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
