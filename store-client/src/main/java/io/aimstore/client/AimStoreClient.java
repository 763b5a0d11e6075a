package io.aimstore.client;

import io.aimstore.api.v1.Owner;
import io.aimstore.client.impl.AuthImpl;
import io.aimstore.client.impl.ClusterImpl;
import io.aimstore.client.impl.Connection;
import io.aimstore.client.impl.FleetImpl;
import io.aimstore.client.impl.KvImpl;
import io.aimstore.client.impl.LeasesImpl;
import io.aimstore.client.impl.LocksImpl;
import io.aimstore.client.impl.MaintenanceImpl;
import io.aimstore.client.impl.WatchClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Entry point of the Java client.
 *
 * <pre>{@code
 * try (AimStoreClient client = AimStoreClient.builder().endpoints("127.0.0.1:7401").build()) {
 *   client.kv().put("/aim/fleet-1/config", "v1").join();
 * }
 * }</pre>
 *
 * Thread-safe; share one per process. Calls return {@code CompletableFuture}s that complete on the
 * client's threads and fail with {@link AimStoreException}; {@link #await} blocks for one.
 *
 * <p>Failover: calls go to one member at a time; when it cannot serve, the call moves on with
 * backoff, within the request timeout. Reads move on freely; a write moves on only when it
 * certainly did not apply (see {@link AimStoreException#outcome()}), and one that was sent gets the
 * whole request timeout for its answer.
 */
public final class AimStoreClient implements AutoCloseable {
  /** The local cluster started by {@code ops/bin/aimstore-cluster up}. */
  public static final List<String> LOCAL_ENDPOINTS =
      List.of("127.0.0.1:7401", "127.0.0.1:7402", "127.0.0.1:7403");

  private final Connection connection;
  private final KV kv;
  private final ClusterApi cluster;
  private final Leases leases;
  private final Watch watch;
  private final Locks locks;
  private final Fleet fleet;
  private final Auth auth;
  private final Maintenance maintenance;
  private final Owner owner;

  private AimStoreClient(Builder b) {
    this.connection = new Connection(b.endpoints, b.requestTimeout, b.attemptTimeout, b.tls);
    this.owner = ProcessIdentity.owner(b.name, b.labels);
    this.kv = new KvImpl(connection);
    this.cluster = new ClusterImpl(connection);
    this.leases = new LeasesImpl(connection, owner);
    this.watch = new WatchClient(connection);
    this.locks = new LocksImpl(connection, kv, watch);
    this.fleet = new FleetImpl(connection);
    this.auth = new AuthImpl(connection);
    this.maintenance = new MaintenanceImpl(connection);
  }

  /** A builder with the local cluster's endpoints and default timeouts (15 s total, 5 s each). */
  public static Builder builder() {
    return new Builder();
  }

  /** The keyspace. */
  public KV kv() {
    return kv;
  }

  /** Cluster status and membership. */
  public ClusterApi cluster() {
    return cluster;
  }

  /** Leases (most code wants {@link #session}). */
  public Leases leases() {
    return leases;
  }

  /** Watches. */
  public Watch watch() {
    return watch;
  }

  /** Roles, bindings and who this client is (see docs/security.md). */
  public Auth auth() {
    return auth;
  }

  /** Backups: snapshots of the whole store (admins only). */
  public Maintenance maintenance() {
    return maintenance;
  }

  /** Fair, fenced locks. */
  public Locks locks() {
    return locks;
  }

  /** Aim configs, rollouts and the fleet hold point. */
  public Fleet fleet() {
    return fleet;
  }

  /**
   * Grants a lease for this process and keeps it alive: see {@link Session}. Blocks for the grant.
   *
   * @throws AimStoreException when the grant fails
   */
  public Session session(SessionOptions options) {
    return leases.session(options);
  }

  /** Who this client says it is when it takes leases: name, host, pid, process start, labels. */
  public Owner owner() {
    return owner;
  }

  /** The endpoints this client was built with. */
  public List<String> endpoints() {
    return connection.endpoints();
  }

  /**
   * Waits for {@code future}, turning any failure into an {@link AimStoreException}.
   *
   * @throws AimStoreException the call's failure
   */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (RuntimeException e) {
      throw AimStoreException.from(e);
    }
  }

  /**
   * Closes the connections; calls still running fail. Sessions are not revoked: close them first if
   * their locks and keys should go now rather than when their TTL runs out.
   */
  @Override
  public void close() {
    connection.close();
  }

  /** Builds a client; only the endpoints are required. */
  public static final class Builder {
    private List<String> endpoints = LOCAL_ENDPOINTS;
    private Duration requestTimeout = Duration.ofSeconds(15);
    private Duration attemptTimeout = Duration.ofSeconds(5);
    private String name = "java-client";
    private Map<String, String> labels = Map.of();
    private TlsFiles tls;

    private Builder() {}

    /**
     * Connects over mutual TLS with these files (a secure cluster, the default: see
     * docs/security.md). Without it the client speaks plaintext, which only a member started with
     * {@code insecure = true} accepts.
     *
     * @throws IllegalArgumentException if a file is missing or unreadable
     */
    public Builder tls(TlsFiles files) {
      this.tls = files == null ? null : files.check();
      return this;
    }

    /** Members' client addresses, host:port. */
    public Builder endpoints(String... endpoints) {
      return endpoints(Arrays.asList(endpoints));
    }

    /** Members' client addresses, host:port; an element may hold several, comma-separated. */
    public Builder endpoints(List<String> endpoints) {
      List<String> clean = new ArrayList<>();
      for (String e : endpoints) {
        for (String part : e.split(",")) {
          if (!part.isBlank()) {
            clean.add(part.strip());
          }
        }
      }
      if (clean.isEmpty()) {
        throw new IllegalArgumentException("no endpoints given");
      }
      this.endpoints = clean;
      return this;
    }

    /**
     * Total time a call may take, across retries on other members (default 15 s). A write that was
     * sent waits up to all of it for its answer.
     */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /**
     * Time one attempt of a read on one member may take before the next member is tried (default 5
     * s; never more than what is left of the request timeout).
     */
    public Builder attemptTimeout(Duration d) {
      this.attemptTimeout = d;
      return this;
    }

    /** The name leases of this client are recorded under (e.g. "aim-controller"). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Free-form labels recorded with this client's leases (e.g. fleet=fleet-1). */
    public Builder labels(Map<String, String> labels) {
      this.labels = Map.copyOf(labels);
      return this;
    }

    /** A client; connections are opened lazily, on the first call. */
    public AimStoreClient build() {
      return new AimStoreClient(this);
    }
  }
}
