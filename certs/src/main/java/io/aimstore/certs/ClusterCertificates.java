package io.aimstore.certs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The TLS files of a cluster, laid out in one directory (what {@code aimstore-cluster up} makes
 * under its cluster directory, and {@code aimstore-certs} manages):
 *
 * <pre>
 *   ca.crt  ca.key                      the cluster CA (keep ca.key off member hosts in production)
 *   members/NAME.crt  members/NAME.key  member certificates (spiffe://aimstore/member/NAME)
 *   operator.crt  operator.key          the operator's (spiffe://aimstore/operator/admin): an admin
 *   drones/FLEET/DRONE.crt, .key        drones (spiffe://aimstore/fleet/FLEET/drone/DRONE)
 *   clients/NAME.crt, .key              services (spiffe://aimstore/client/NAME): no role until bound
 * </pre>
 *
 * Every method creates only what is missing, so it can run again safely.
 */
public final class ClusterCertificates {
  public static final String OPERATOR = "admin";

  private final Path dir;
  private final Clock clock;
  private CertificateAuthority ca;

  public ClusterCertificates(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  public Path dir() {
    return dir;
  }

  /** The CA, created on first use. */
  public CertificateAuthority ca() {
    if (ca == null) {
      if (Files.exists(dir.resolve("ca.crt"))) {
        ca = CertificateAuthority.load(dir, clock);
      } else {
        ca = CertificateAuthority.create("aimstore cluster CA", clock);
        ca.write(dir);
      }
    }
    return ca;
  }

  /** The member's certificate file, issued for {@code hosts} if missing. */
  public Path member(String name, List<String> hosts, Duration validity) {
    Path crt = dir.resolve("members").resolve(name + ".crt");
    if (!Files.exists(crt)) {
      ca().member(name, hosts, validity).write(dir.resolve("members"), name);
    }
    return crt;
  }

  public Path operator(String name, Duration validity) {
    Path crt = dir.resolve(name.equals(OPERATOR) ? "operator.crt" : "operators/" + name + ".crt");
    if (!Files.exists(crt)) {
      Certificate c = ca().client(Identities.operator(name), "operator " + name, validity);
      if (name.equals(OPERATOR)) {
        c.write(dir, "operator");
      } else {
        c.write(dir.resolve("operators"), name);
      }
    }
    return crt;
  }

  public Path drone(String fleet, String drone, Duration validity) {
    Path crt = dir.resolve("drones").resolve(fleet).resolve(drone + ".crt");
    if (!Files.exists(crt)) {
      ca().client(Identities.drone(fleet, drone), "drone " + fleet + "/" + drone, validity)
          .write(crt.getParent(), drone);
    }
    return crt;
  }

  /** A client certificate for {@code identity} (default spiffe://aimstore/client/NAME). */
  public Path client(String name, String identity, Duration validity) {
    Path crt = dir.resolve("clients").resolve(name + ".crt");
    if (!Files.exists(crt)) {
      ca().client(identity == null ? Identities.client(name) : identity, "client " + name, validity)
          .write(dir.resolve("clients"), name);
    }
    return crt;
  }

  /** The key file next to a certificate file. */
  public static Path keyOf(Path crt) {
    String f = crt.getFileName().toString();
    return crt.resolveSibling(f.substring(0, f.length() - ".crt".length()) + ".key");
  }
}
