package io.aimstore.server;

import io.aimstore.server.api.CertificateIdentity;
import io.aimstore.server.threads.DaemonThreads;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * A member's TLS material: its certificate and key, and the cluster CA, checked once at start and
 * then watched for changes (a renewed certificate is used for new connections without a restart).
 * Every port uses the same managers: the client API (mutual TLS 1.3, a client certificate issued by
 * the CA required), the Raft transport (mutual TLS), the member's own calls to its peers, and the
 * metrics endpoint when it is not on loopback.
 *
 * <p>Every problem with the files at start is a {@link ConfigException} naming the file: missing,
 * unreadable, not PEM, expired or not yet valid, key not matching, or not issued by the CA.
 */
public final class MemberTls implements AutoCloseable {
  /** How often the files are looked at for a renewed certificate or CA. */
  static final long RELOAD_SECONDS = 30;

  private static final String TLS13 = "TLSv1.3";

  private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
  private final AdvancedTlsX509TrustManager clientVerifier;
  private final AdvancedTlsX509TrustManager serverVerifier;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tls-reload"));
  private final AutoCloseable[] reloaders;
  private final String identity;

  private MemberTls(SecuritySettings s)
      throws ConfigException, IOException, GeneralSecurityException {
    this.clientVerifier =
        AdvancedTlsX509TrustManager.newBuilder()
            .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
            .build();
    // peers are reached at the addresses in the member list, which their certificates name
    this.serverVerifier =
        AdvancedTlsX509TrustManager.newBuilder()
            .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
            .build();
    X509Certificate[] chain = certificates(s.certFile(), "certificate (tls-cert)");
    this.identity = CertificateIdentity.of(chain[0]);
    this.reloaders =
        new AutoCloseable[] {
          keyManager.updateIdentityCredentials(
              s.certFile().toFile(), s.keyFile().toFile(), RELOAD_SECONDS, TimeUnit.SECONDS, timer),
          clientVerifier.updateTrustCredentials(
              s.caFile().toFile(), RELOAD_SECONDS, TimeUnit.SECONDS, timer),
          serverVerifier.updateTrustCredentials(
              s.caFile().toFile(), RELOAD_SECONDS, TimeUnit.SECONDS, timer)
        };
  }

  /**
   * Checks the files of {@code s} (against {@code clock}) and loads them; they are looked at again
   * every {@value #RELOAD_SECONDS} s for a renewed certificate or CA.
   */
  public static MemberTls load(SecuritySettings s, Clock clock) throws ConfigException {
    check(s, clock.instant());
    try {
      return new MemberTls(s);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("cannot load the TLS files " + s.certFile() + ": " + e);
    }
  }

  /** The identity this member's certificate proves, e.g. spiffe://aimstore/member/n1. */
  public String identity() {
    return identity;
  }

  public KeyManager keyManager() {
    return keyManager;
  }

  /** Verifies client and peer certificates: issued by the cluster CA. */
  public TrustManager clientVerifier() {
    return clientVerifier;
  }

  /** Verifies the certificates of the members this one calls. */
  public TrustManager serverVerifier() {
    return serverVerifier;
  }

  /** The client API's TLS: TLS 1.3 only, and a client certificate issued by the CA required. */
  public SslContext clientApiContext() {
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(keyManager))
          .trustManager(clientVerifier)
          .clientAuth(ClientAuth.REQUIRE)
          .protocols(TLS13)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the client API's TLS context", e);
    }
  }

  /** This member's TLS when it calls another member's client API (relayed calls). */
  public SslContext peerCallContext() {
    try {
      return GrpcSslContexts.forClient()
          .keyManager(keyManager)
          .trustManager(serverVerifier)
          .protocols(TLS13)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the peer TLS context", e);
    }
  }

  /** For the metrics endpoint when it is exposed beyond loopback (server authentication only). */
  public SSLContext httpsContext() {
    try {
      SSLContext c = SSLContext.getInstance(TLS13);
      c.init(new KeyManager[] {keyManager}, null, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the metrics TLS context", e);
    }
  }

  @Override
  public void close() {
    for (AutoCloseable r : reloaders) {
      try {
        r.close();
      } catch (Exception e) {
        // nothing to do: the timer stops below
      }
    }
    timer.shutdownNow();
  }

  // ---- checks at start ---------------------------------------------------------------------

  static void check(SecuritySettings s, Instant now) throws ConfigException {
    X509Certificate ca = certificates(s.caFile(), "CA certificate (tls-ca)")[0];
    X509Certificate[] chain = certificates(s.certFile(), "certificate (tls-cert)");
    PrivateKey key = privateKey(s.keyFile());
    current(ca, s.caFile(), "CA certificate", now);
    current(chain[0], s.certFile(), "certificate", now);
    if (!matches(key, chain[0])) {
      throw new ConfigException(
          "TLS key " + s.keyFile() + " does not belong to certificate " + s.certFile());
    }
    try {
      chain[chain.length - 1].verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          "TLS certificate " + s.certFile() + " was not issued by the CA in " + s.caFile());
    }
    if (CertificateIdentity.of(chain[0]) == null) {
      throw new ConfigException(
          "TLS certificate " + s.certFile() + " names no identity (no URI SAN and no CN)");
    }
  }

  private static X509Certificate[] certificates(Path file, String what) throws ConfigException {
    try (InputStream in = open(file, "TLS " + what)) {
      X509Certificate[] certs = CertificateUtils.getX509Certificates(in);
      if (certs.length == 0) {
        throw new ConfigException("TLS " + what + " " + file + " holds no PEM certificate");
      }
      return certs;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new ConfigException(
          "TLS " + what + " " + file + " is not a readable PEM certificate: " + e.getMessage());
    }
  }

  private static PrivateKey privateKey(Path file) throws ConfigException {
    try (InputStream in = open(file, "TLS key (tls-key)")) {
      return CertificateUtils.getPrivateKey(in);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new ConfigException(
          "TLS key " + file + " is not a readable PEM private key (PKCS#8): " + e.getMessage());
    }
  }

  private static InputStream open(Path file, String what) throws ConfigException, IOException {
    if (!Files.exists(file)) {
      throw new ConfigException(
          what
              + " "
              + file
              + " does not exist; make the files with ops/bin/aimstore-certs (see"
              + " docs/security.md)");
    }
    if (!Files.isReadable(file)) {
      throw new ConfigException(what + " " + file + " is not readable by this user");
    }
    return Files.newInputStream(file);
  }

  private static void current(X509Certificate c, Path file, String what, Instant now)
      throws ConfigException {
    if (now.isAfter(c.getNotAfter().toInstant())) {
      throw new ConfigException(
          "TLS "
              + what
              + " "
              + file
              + " expired on "
              + c.getNotAfter().toInstant()
              + "; issue a new one with ops/bin/aimstore-certs");
    }
    if (now.isBefore(c.getNotBefore().toInstant())) {
      throw new ConfigException(
          "TLS " + what + " " + file + " is not valid before " + c.getNotBefore().toInstant());
    }
  }

  /** Whether {@code key} signs what {@code cert}'s public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    try {
      String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      byte[] probe = "aimstore".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Signature sign = Signature.getInstance(alg);
      sign.initSign(key);
      sign.update(probe);
      byte[] sig = sign.sign();
      Signature verify = Signature.getInstance(alg);
      verify.initVerify(cert.getPublicKey());
      verify.update(probe);
      return verify.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
