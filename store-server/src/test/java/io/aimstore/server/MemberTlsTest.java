package io.aimstore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimstore.certs.ClusterCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad TLS files stop a member at start with one line naming the file. */
class MemberTlsTest {
  @TempDir Path dir;
  Path crt;
  SecuritySettings good;

  @BeforeEach
  void certs() {
    crt =
        new ClusterCertificates(dir, Clock.systemUTC())
            .member("n1", List.of("127.0.0.1"), Duration.ofDays(2));
    good = files(dir.resolve("ca.crt"), crt, ClusterCertificates.keyOf(crt));
  }

  static SecuritySettings files(Path ca, Path cert, Path key) {
    return new SecuritySettings(false, ca, cert, key, SecuritySettings.DEFAULT_MAX_QUARANTINE);
  }

  @Test
  void goodFilesLoadAndNameTheMembersIdentity() throws Exception {
    try (MemberTls tls = MemberTls.load(good, Clock.systemUTC())) {
      assertThat(tls.identity()).isEqualTo("spiffe://aimstore/member/n1");
    }
  }

  @Test
  void aMissingFileIsNamed() {
    Path gone = dir.resolve("nope.key");
    assertThatThrownBy(() -> MemberTls.check(files(good.caFile(), crt, gone), Instant.now()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(gone.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void anExpiredCertificateIsNamedWithItsEnd() {
    Instant later = Instant.now().plus(Duration.ofDays(3));
    assertThatThrownBy(() -> MemberTls.load(good, Clock.fixed(later, ZoneOffset.UTC)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(crt.toString())
        .hasMessageContaining("expired on");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    Path other =
        new ClusterCertificates(dir, Clock.systemUTC())
            .member("n2", List.of("127.0.0.1"), Duration.ofDays(2));
    assertThatThrownBy(
            () ->
                MemberTls.check(
                    files(good.caFile(), crt, ClusterCertificates.keyOf(other)), Instant.now()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not belong to certificate " + crt);
  }

  @Test
  void aCertificateOfAnotherCaIsRefused() {
    Path elsewhere = dir.resolve("other");
    Path foreign =
        new ClusterCertificates(elsewhere, Clock.systemUTC())
            .member("n1", List.of("127.0.0.1"), Duration.ofDays(2));
    assertThatThrownBy(
            () ->
                MemberTls.check(
                    files(good.caFile(), foreign, ClusterCertificates.keyOf(foreign)),
                    Instant.now()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("was not issued by the CA in " + good.caFile());
  }

  @Test
  void garbageIsNotACertificate() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.crt"), "hello");
    assertThatThrownBy(() -> MemberTls.check(files(junk, crt, good.keyFile()), Instant.now()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(junk.toString());
  }
}
