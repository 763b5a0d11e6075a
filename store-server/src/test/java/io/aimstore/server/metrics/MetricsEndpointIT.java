package io.aimstore.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The health and metrics endpoint over real sockets: probes are answered at once while many other
 * clients hold connections open idle or with half a request, and /metrics carries the JVM and
 * process meters.
 */
class MetricsEndpointIT {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<Socket> held = new ArrayList<>();
  private ProcessMeters meters;
  private MetricsEndpoint endpoint;

  @BeforeEach
  void start() throws IOException {
    meters = ProcessMeters.bindTo(registry);
    endpoint =
        new MetricsEndpoint(
            new InetSocketAddress("127.0.0.1", 0),
            registry,
            () -> HealthCheck.ok("serving"),
            () -> HealthCheck.failing("no leader known"),
            null,
            Duration.ofSeconds(3));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : held) {
      s.close();
    }
    endpoint.close();
    meters.close();
  }

  private Answer get(String path) throws IOException {
    return Answer.get(() -> new Socket("127.0.0.1", endpoint.port()), path);
  }

  private Socket hold(String partialRequest) throws IOException {
    Socket s = new Socket("127.0.0.1", endpoint.port());
    if (!partialRequest.isEmpty()) {
      s.getOutputStream().write(partialRequest.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
    }
    held.add(s);
    return s;
  }

  @Test
  void probesAnswerWithin100msWhile100IdleAnd100SlowConnectionsAreOpen() throws IOException {
    for (int i = 0; i < 100; i++) {
      hold(""); // connected, sends nothing
      hold("GET /readyz HTTP/1.1\r\nHost: slo"); // half a request, never finished
    }
    get("/healthz"); // the first request pays for class loading
    for (int i = 0; i < 20; i++) {
      Answer healthz = get("/healthz");
      assertThat(healthz.status()).isEqualTo(200);
      assertThat(healthz.body()).isEqualTo("ok: serving\n");
      assertThat(healthz.millis()).isLessThan(100);
      Answer readyz = get("/readyz");
      assertThat(readyz.status()).isEqualTo(503);
      assertThat(readyz.body()).isEqualTo("not ok: no leader known\n");
      assertThat(readyz.millis()).isLessThan(100);
    }
  }

  @Test
  void metricsCarryJvmAndProcessMeters() throws IOException {
    Answer m = get("/metrics");
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body())
        .contains("jvm_memory_used_bytes")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads")
        .contains("process_cpu_usage")
        .contains("process_files_open_files")
        .contains("process_uptime_seconds");
  }

  @Test
  void aClientThatNeverFinishesItsRequestIsClosedAfterTheReadTimeout() throws IOException {
    Socket slow = hold("GET /healthz HTTP/1.1\r\n");
    slow.setSoTimeout(6000);
    long start = System.nanoTime();
    InputStream in = slow.getInputStream();
    assertThat(in.read()).isEqualTo(-1); // closed without an answer
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  @Test
  void badRequestsGetAnAnswerNotAHang() throws IOException {
    assertThat(get("/nothing").status()).isEqualTo(404);
    try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET /healthz HTTP/1.1\r\nX: " + "y".repeat(9000)).getBytes());
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 431");
    }
    try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("POST /healthz HTTP/1.1\r\n\r\n".getBytes());
      assertThat(new String(s.getInputStream().readAllBytes())).startsWith("HTTP/1.1 405");
    }
  }
}
