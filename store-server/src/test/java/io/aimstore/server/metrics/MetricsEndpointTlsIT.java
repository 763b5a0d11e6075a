package io.aimstore.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health and metrics endpoint over HTTPS: the same answers, and a client that stalls in the
 * middle of its handshake holds nothing but its socket.
 */
class MetricsEndpointTlsIT {
  @TempDir static Path dir;
  static SSLContext server;
  static SSLContext client;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<Socket> held = new ArrayList<>();
  private MetricsEndpoint endpoint;

  /** A self-signed key pair from the JDK's keytool; the client trusts anything (a test). */
  @BeforeAll
  static void keys() throws Exception {
    Path store = dir.resolve("member.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "member",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    client = SSLContext.getInstance("TLS");
    client.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
  }

  @BeforeEach
  void start() throws IOException {
    endpoint =
        new MetricsEndpoint(
            new InetSocketAddress("127.0.0.1", 0),
            registry,
            () -> HealthCheck.ok("serving"),
            () -> HealthCheck.ok("leader=n1"),
            server,
            Duration.ofSeconds(3));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : held) {
      s.close();
    }
    endpoint.close();
  }

  private Answer get(String path) throws IOException {
    return Answer.get(
        () -> client.getSocketFactory().createSocket("127.0.0.1", endpoint.port()), path);
  }

  @Test
  void answersOverHttps() throws IOException {
    Answer healthz = get("/healthz");
    assertThat(healthz.status()).isEqualTo(200);
    assertThat(healthz.body()).isEqualTo("ok: serving\n");
    assertThat(get("/readyz").body()).isEqualTo("ok: leader=n1\n");
    assertThat(get("/metrics").status()).isEqualTo(200);
    assertThat(get("/nothing").status()).isEqualTo(404);
  }

  @Test
  void clientsStalledInTheirHandshakeDoNotDelayProbes() throws IOException {
    get("/healthz"); // the first handshake pays for class loading
    for (int i = 0; i < 50; i++) {
      held.add(new Socket("127.0.0.1", endpoint.port())); // connected, says nothing
      Socket half = new Socket("127.0.0.1", endpoint.port());
      half.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // half a hello
      held.add(half);
    }
    for (int i = 0; i < 10; i++) {
      Answer a = get("/healthz");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.millis()).isLessThan(1000); // a handshake each; blocked it would take 3 s
    }
  }
}
