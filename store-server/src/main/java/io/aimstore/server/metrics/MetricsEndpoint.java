package io.aimstore.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The member's HTTP endpoint: {@code /metrics} (Prometheus text), {@code /healthz} (the process
 * serves) and {@code /readyz} (a member of a group with a leader, and caught up). The health
 * endpoints answer 200 or 503 with a one-line reason.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer http;

  /**
   * @param tls serve HTTPS with this context; null for plain HTTP (on loopback)
   */
  public MetricsEndpoint(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Supplier<HealthCheck> health,
      Supplier<HealthCheck> ready,
      SSLContext tls)
      throws IOException {
    if (tls == null) {
      http = HttpServer.create(address, 16);
    } else {
      HttpsServer https = HttpsServer.create(address, 16);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      http = https;
    }
    http.setExecutor(Executors.newSingleThreadExecutor(r -> daemon(r, "metrics-http")));
    http.createContext(
        "/metrics",
        ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    http.createContext("/healthz", ex -> check(ex, health.get()));
    http.createContext("/readyz", ex -> check(ex, ready.get()));
    http.start();
  }

  public int port() {
    return http.getAddress().getPort();
  }

  private static void check(HttpExchange ex, HealthCheck c) throws IOException {
    respond(
        ex,
        c.ok() ? 200 : 503,
        "text/plain; charset=utf-8",
        (c.ok() ? "ok: " : "not ok: ") + c.detail() + "\n");
  }

  private static void respond(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
