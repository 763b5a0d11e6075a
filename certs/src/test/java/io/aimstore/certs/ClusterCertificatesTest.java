package io.aimstore.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCertificatesTest {
  @TempDir Path dir;

  static X509Certificate read(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  static List<Object> sans(X509Certificate c) throws Exception {
    return c.getSubjectAlternativeNames().stream()
        .map(l -> l.get(1))
        .map(Object.class::cast)
        .toList();
  }

  @Test
  void membersGetServerAndClientUseWithTheirAddressesAndIdentityAllSignedByTheCa()
      throws Exception {
    ClusterCertificates certs = new ClusterCertificates(dir, Clock.systemUTC());
    Path crt = certs.member("n1", List.of("127.0.0.1", "localhost"), Duration.ofDays(30));
    X509Certificate ca = read(dir.resolve("ca.crt"));
    X509Certificate m = read(crt);
    m.verify(ca.getPublicKey());
    assertThat(sans(m)).contains("spiffe://aimstore/member/n1", "127.0.0.1", "localhost");
    assertThat(m.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(m.getBasicConstraints()).isEqualTo(-1);
    assertThat(Files.getPosixFilePermissions(ClusterCertificates.keyOf(crt)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void clientsAreForClientUseAndNameTheirIdentity() throws Exception {
    ClusterCertificates certs = new ClusterCertificates(dir, Clock.systemUTC());
    X509Certificate op = read(certs.operator("admin", Duration.ofDays(1)));
    X509Certificate drone = read(certs.drone("fleet-1", "drone-7", Duration.ofDays(1)));
    X509Certificate svc = read(certs.client("monitoring", null, Duration.ofDays(1)));
    assertThat(sans(op)).containsExactly("spiffe://aimstore/operator/admin");
    assertThat(sans(drone)).containsExactly("spiffe://aimstore/fleet/fleet-1/drone/drone-7");
    assertThat(sans(svc)).containsExactly("spiffe://aimstore/client/monitoring");
    assertThat(drone.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
  }

  @Test
  void runningAgainKeepsWhatExistsAndAReloadedCaSignsForTheSameRoot() throws Exception {
    ClusterCertificates first = new ClusterCertificates(dir, Clock.systemUTC());
    Path crt = first.member("n1", List.of("127.0.0.1"), Duration.ofDays(1));
    byte[] before = Files.readAllBytes(crt);
    ClusterCertificates again = new ClusterCertificates(dir, Clock.systemUTC());
    again.member("n1", List.of("127.0.0.1"), Duration.ofDays(1));
    assertThat(Files.readAllBytes(crt)).isEqualTo(before);
    X509Certificate n2 = read(again.member("n2", List.of("127.0.0.1"), Duration.ofDays(1)));
    n2.verify(read(dir.resolve("ca.crt")).getPublicKey());
  }

  @Test
  void identitySegmentsAreChecked() {
    assertThatThrownBy(() -> Identities.drone("fleet/1", "d")).hasMessageContaining("fleet/1");
  }
}
