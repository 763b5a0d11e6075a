package io.aimstore.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.AimConfigRules;
import io.aimstore.api.v1.DroneReport;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.TargetRecord;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drone side of a rollout. Opens a {@link Session} (its presence key lives on the session's
 * lease, so the fleet sees who is alive), watches its target with a {@link ConfigWatcher},
 * validates each config locally, refuses one whose fencing token is older than one already applied
 * ("lock mismatch"), hands good ones to the application, and reports applied or refused. When its
 * session is lost (a long pause, a partition) it announces itself again with a new one.
 *
 * <p>Thread-safe. Reports that cannot be sent are logged and dropped; the next target brings a new
 * one.
 */
public final class DroneAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DroneAgent.class);

  /** What applying a config means for this drone. */
  public interface Applier {
    /** Applies {@code target}; throw to refuse it (the message becomes the report's reason). */
    void apply(TargetRecord target) throws Exception;
  }

  private final AimStoreClient client;
  private final String fleet;
  private final String drone;
  private final Duration ttl;
  private final ScheduledExecutorService reconnect =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "drone-reconnect");
            t.setDaemon(true);
            return t;
          });
  private final ConfigWatcher watcher;
  private volatile Session session;
  private volatile boolean closed;

  private DroneAgent(
      AimStoreClient client, String fleet, String drone, Duration ttl, Applier applier) {
    this.client = client;
    this.fleet = fleet;
    this.drone = drone;
    this.ttl = ttl;
    announce();
    this.watcher =
        ConfigWatcher.start(
            client,
            "/aim/" + fleet + "/drones/" + drone + "/target",
            new ConfigWatcher.Listener() {
              @Override
              public void onConfig(KeyValue kv) {
                handle(kv, applier);
              }

              @Override
              public void onRejected(KeyValue kv, String reason) {
                TargetRecord t = parse(kv);
                report(t == null ? 0 : t.getVersion(), false, reason, "");
              }
            });
  }

  /**
   * Starts a drone: presence on a session of {@code ttl}, then its target watch. Blocks until both
   * are set up. {@code applier} is called on a client thread, one target at a time.
   *
   * @throws AimStoreException when the session, the presence key or the first read fails
   */
  public static DroneAgent start(
      AimStoreClient client, String fleet, String drone, Duration ttl, Applier applier) {
    return new DroneAgent(client, fleet, drone, ttl, applier);
  }

  /** Opens a session and puts the presence key on it. */
  private void announce() {
    Session s = client.session(SessionOptions.ttl(ttl));
    String info =
        "{\"drone\":\""
            + drone
            + "\",\"host\":\""
            + client.owner().getHost()
            + "\",\"pid\":"
            + client.owner().getPid()
            + "}";
    AimStoreClient.await(
        client
            .kv()
            .put(
                PutRequest.newBuilder()
                    .setKey(KV.utf8("/aim/" + fleet + "/drones/" + drone + "/presence"))
                    .setValue(KV.utf8(info))
                    .setLease(s.leaseId())
                    .build()));
    s.addListener(
        (ended, from, to) -> {
          if (to == Session.State.LOST && !closed) {
            LOG.warn(
                "drone {} lost its session (lease {}); announcing again", drone, ended.leaseId());
            reconnect.schedule(this::reannounce, 200, TimeUnit.MILLISECONDS);
          }
        });
    this.session = s;
  }

  private void reannounce() {
    if (closed) {
      return;
    }
    try {
      announce();
    } catch (AimStoreException e) {
      LOG.warn("drone {} cannot announce itself yet: {}", drone, e.getMessage());
      reconnect.schedule(this::reannounce, 1, TimeUnit.SECONDS);
    }
  }

  private void handle(KeyValue kv, Applier applier) {
    TargetRecord t = parse(kv);
    if (t == null) {
      report(0, false, "target is not a valid TargetRecord", "");
      return;
    }
    List<String> violations = AimConfigRules.violations(t.getConfig());
    if (!violations.isEmpty()) {
      report(t.getVersion(), false, "invalid config: " + String.join("; ", violations), "");
      return;
    }
    try {
      applier.apply(t);
    } catch (Exception e) {
      report(t.getVersion(), false, e.getMessage() == null ? e.toString() : e.getMessage(), "");
      return;
    }
    report(t.getVersion(), true, "", hash(t));
  }

  private void report(long version, boolean applied, String reason, String hash) {
    try {
      AimStoreClient.await(
          client
              .fleet()
              .report(
                  fleet,
                  DroneReport.newBuilder()
                      .setDrone(drone)
                      .setVersion(version)
                      .setApplied(applied)
                      .setReason(reason)
                      .setHash(hash)
                      .build()));
    } catch (AimStoreException e) {
      LOG.warn("drone {} could not report v{}: {}", drone, version, e.getMessage());
    }
  }

  private static TargetRecord parse(KeyValue kv) {
    try {
      TargetRecord.Builder b = TargetRecord.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(kv.getValue().toStringUtf8(), b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  static String hash(TargetRecord t) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(t.getConfig().toByteArray());
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      return "";
    }
  }

  /** This drone's name. */
  public String drone() {
    return drone;
  }

  /** The current session (replaced when a lost one is re-established). */
  public Session session() {
    return session;
  }

  /** Stops watching and ends the session (the presence key goes with its lease). */
  @Override
  public void close() {
    closed = true;
    reconnect.shutdownNow();
    watcher.close();
    session.close();
  }
}
