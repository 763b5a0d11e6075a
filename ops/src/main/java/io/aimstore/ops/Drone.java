package io.aimstore.ops;

import io.aimstore.api.v1.TargetRecord;
import io.aimstore.certs.ClusterCertificates;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.DroneAgent;
import io.aimstore.client.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A simulated drone for demos and tests: presence on a session, applies targets, reports. */
@Command(
    name = "aimstore-drone",
    mixinStandardHelpOptions = true,
    description = "Run a simulated drone of FLEET until killed.")
public final class Drone implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--fleet", required = true)
  String fleet;

  @Option(names = "--id", required = true, description = "Drone name (e.g. drone-7).")
  String id;

  @Option(
      names = "--ttl",
      defaultValue = "5",
      description =
          "Session TTL in seconds: the drone leaves the alive set this long after it dies.")
  long ttl;

  @Option(
      names = "--refuse",
      description =
          "Refuse to apply config versions whose description contains this text (to rehearse a NACK).")
  String refuse;

  @Option(
      names = "--endpoints",
      split = ",",
      description =
          "Members' client addresses (default: as aimctl: $AIMSTORE_ENDPOINTS, else the cluster"
              + " directory's recorded ports, else 127.0.0.1:7401-7403).")
  List<String> endpoints;

  @Option(
      names = "--cluster-dir",
      paramLabel = "DIR",
      description =
          "A local cluster's directory (default: $AIMSTORE_CLUSTER_DIR, else .local-cluster/).")
  Path clusterDir;

  @Option(names = "--insecure", description = "Plaintext: only for a cluster started --insecure.")
  boolean insecure;

  @Option(names = "--cacert", paramLabel = "FILE", description = "The cluster CA certificate.")
  Path cacert;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description =
          "This drone's certificate (default: the cluster directory's"
              + " tls/drones/FLEET/ID.crt, issued there on first use when the directory holds the"
              + " CA).")
  Path cert;

  @Option(names = "--key", paramLabel = "FILE", description = "Its private key.")
  Path key;

  /**
   * This drone's certificate in a local cluster's TLS directory ({@code drones/FLEET/ID.crt}),
   * issued by the directory's CA on first use.
   */
  private Optional<TlsFiles> ownCertificate(Path tlsDir) {
    Path crt = tlsDir.resolve("drones").resolve(fleet).resolve(id + ".crt");
    if (!Files.exists(crt)) {
      if (!Files.exists(tlsDir.resolve("ca.key"))) {
        return Optional.empty();
      }
      new ClusterCertificates(tlsDir, Clock.systemUTC()).drone(fleet, id, Duration.ofDays(30));
    }
    return Optional.of(new TlsFiles(tlsDir.resolve("ca.crt"), crt, ClusterCertificates.keyOf(crt)));
  }

  public static void main(String[] args) {
    java.util.logging.LogManager.getLogManager().reset();
    CommandLine cl = new CommandLine(new Drone());
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("aimstore-drone: " + e.getMessage());
          return e instanceof Aimctl.UsageError ? ExitCodes.USAGE : ExitCodes.FAILED;
        });
    System.exit(cl.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String home = System.getProperty("aimstore.home");
    Path checkout = home == null ? null : Path.of(home);
    ClusterTarget target =
        ClusterTarget.resolve(endpoints, clusterDir, System.getenv(), checkout)
            .withTls(
                new ClusterTarget.TlsFlags(insecure, cacert, cert, key),
                System.getenv(),
                checkout,
                this::ownCertificate);
    AimStoreClient client =
        AimStoreClient.builder()
            .endpoints(target.endpoints())
            .tls(target.tls().orElse(null))
            .name("aimstore-drone")
            .build();
    DroneAgent agent = null;
    for (int attempt = 1; agent == null; attempt++) {
      try {
        agent = start(client);
      } catch (AimStoreException e) {
        if (attempt >= 30) {
          throw e;
        }
        log("cannot reach the cluster yet (" + e.getMessage() + "); retrying");
        Thread.sleep(1000);
      }
    }
    log(
        id
            + " of "
            + fleet
            + " is up (lease "
            + agent.session().leaseId()
            + ", pid "
            + ProcessHandle.current().pid()
            + ")");
    agent.session().addListener((s, from, to) -> log("session " + from + " -> " + to));
    new CountDownLatch(1).await();
    return 0;
  }

  private DroneAgent start(AimStoreClient client) {
    return DroneAgent.start(
        client,
        fleet,
        id,
        Duration.ofSeconds(ttl),
        (TargetRecord t) -> {
          if (refuse != null && t.getConfig().getDescription().contains(refuse)) {
            log("refusing v" + t.getVersion() + " (description matches --refuse)");
            throw new IllegalStateException("refused by operator rule: " + refuse);
          }
          log(
              "applied "
                  + t.getConfigName()
                  + " v"
                  + t.getVersion()
                  + " (sensitivity "
                  + t.getConfig().getSensitivity()
                  + ")");
        });
  }

  private void log(String line) {
    System.out.println(LocalTime.now().withNano(0) + " " + id + ": " + line);
    System.out.flush();
  }
}
