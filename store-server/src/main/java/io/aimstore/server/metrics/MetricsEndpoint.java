package io.aimstore.server.metrics;

import io.aimstore.server.threads.DaemonThreads;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's HTTP endpoint: {@code /metrics} (Prometheus text), {@code /healthz} (the process
 * serves) and {@code /readyz} (a member of a group with a leader, and caught up). The health
 * endpoints answer 200 or 503 with a one-line reason.
 *
 * <p>Built so that a probe is answered whatever other clients do: one thread reads every connection
 * without blocking, a request must arrive whole within {@link #READ_TIMEOUT} and fit in {@link
 * #MAX_REQUEST_BYTES}, at most {@link #MAX_CONNECTIONS} are open, and answers are computed on two
 * bounded single-thread pools — one for the health checks, one for {@code /metrics} — so a slow
 * scrape never delays a probe, and a client that sends half a request, or nothing, holds nothing
 * but its socket until its timeout. One request per connection (HTTP/1.1 with {@code Connection:
 * close}); GET and HEAD; plain HTTP, or HTTPS with a given {@link SSLContext} (the handshake runs
 * on the same thread, under the same timeout).
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

  /** How long a client has to send its whole request, and to take the whole answer. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /** A request (line and headers) larger than this is refused. */
  static final int MAX_REQUEST_BYTES = 8 * 1024;

  /** Connections open at once; more are closed as they arrive. */
  static final int MAX_CONNECTIONS = 512;

  /** Answers waiting for a pool's thread; more are refused with 503. */
  private static final int QUEUE = 64;

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread loop;
  private final ExecutorService healthPool = pool("metrics-http-health");
  private final ExecutorService metricsPool = pool("metrics-http-scrape");
  private final Map<String, Route> routes;
  private final Queue<Connection> answered = new ConcurrentLinkedQueue<>();
  private final SSLContext tls;
  private final Duration readTimeout;
  private int open;
  private volatile boolean closed;

  /** What a path answers with, and on which pool. */
  private record Route(Supplier<Response> answer, ExecutorService pool) {}

  private record Response(int code, String type, String body) {}

  public MetricsEndpoint(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Supplier<HealthCheck> health,
      Supplier<HealthCheck> ready)
      throws IOException {
    this(address, registry, health, ready, null);
  }

  /**
   * @param tls serve HTTPS with this context; null for plain HTTP
   */
  public MetricsEndpoint(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Supplier<HealthCheck> health,
      Supplier<HealthCheck> ready,
      SSLContext tls)
      throws IOException {
    this(address, registry, health, ready, tls, READ_TIMEOUT);
  }

  /** The same, with its own time for a client to send its request and take the answer. */
  MetricsEndpoint(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Supplier<HealthCheck> health,
      Supplier<HealthCheck> ready,
      SSLContext tls,
      Duration readTimeout)
      throws IOException {
    this.tls = tls;
    this.readTimeout = readTimeout;
    this.routes =
        Map.of(
            "/metrics",
            new Route(
                () ->
                    new Response(
                        200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()),
                metricsPool),
            "/healthz",
            new Route(() -> check(health.get()), healthPool),
            "/readyz",
            new Route(() -> check(ready.get()), healthPool));
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    try {
      server.bind(address, 128);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      selector.close();
      throw e;
    }
    this.loop = DaemonThreads.named("metrics-http").newThread(this::run);
    loop.start();
  }

  public int port() {
    return server.socket().getLocalPort();
  }

  private static Response check(HealthCheck c) {
    return new Response(
        c.ok() ? 200 : 503,
        "text/plain; charset=utf-8",
        (c.ok() ? "ok: " : "not ok: ") + c.detail() + "\n");
  }

  /** One connection: its request as it arrives, then its answer as it leaves. */
  private final class Connection {
    final SocketChannel channel;
    final SelectionKey key;
    final Wire wire;
    final ByteBuffer request = ByteBuffer.allocate(MAX_REQUEST_BYTES);
    final long deadline = System.nanoTime() + readTimeout.toNanos();
    volatile ByteBuffer answer;

    Connection(SocketChannel channel, SelectionKey key, Wire wire) {
      this.channel = channel;
      this.key = key;
      this.wire = wire;
    }
  }

  private void run() {
    while (!closed) {
      try {
        selector.select(250);
        for (SelectionKey k : selector.selectedKeys()) {
          if (!k.isValid()) {
            continue;
          }
          if (k.isAcceptable()) {
            accept();
          } else if (k.isReadable()) {
            read((Connection) k.attachment());
          } else if (k.isWritable()) {
            writable((Connection) k.attachment());
          }
        }
        selector.selectedKeys().clear();
        for (Connection c; (c = answered.poll()) != null; ) {
          if (c.key.isValid()) {
            c.key.interestOps(SelectionKey.OP_WRITE);
            write(c);
          }
        }
        expire();
      } catch (ClosedSelectorException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.warn("event=metrics_http_error error={}", e.toString());
      }
    }
  }

  private void accept() throws IOException {
    for (SocketChannel ch; (ch = server.accept()) != null; ) {
      if (open >= MAX_CONNECTIONS) {
        ch.close();
        continue;
      }
      ch.configureBlocking(false);
      SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
      open++;
      try {
        key.attach(new Connection(ch, key, tls == null ? Wire.PLAIN : new TlsWire(tls)));
      } catch (IOException e) {
        key.cancel();
        open--;
        ch.close();
      }
    }
  }

  private void read(Connection c) {
    int n;
    try {
      n = c.wire.read(c.channel, c.request);
    } catch (IOException e) {
      close(c);
      return;
    }
    if (n < 0) {
      close(c);
      return;
    }
    if (c.wire.pendingWrite()) {
      c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE); // the handshake goes on
    }
    String head = new String(c.request.array(), 0, c.request.position(), StandardCharsets.UTF_8);
    int end = head.indexOf("\r\n\r\n");
    if (end < 0) {
      end = head.indexOf("\n\n");
    }
    if (end < 0) {
      if (!c.request.hasRemaining()) {
        answer(c, new Response(431, "text/plain", "request too large\n"), false);
      }
      return; // wait for the rest
    }
    c.key.interestOps(0);
    String[] line = head.substring(0, head.indexOf('\n')).strip().split(" ");
    if (line.length < 2) {
      answer(c, new Response(400, "text/plain", "bad request\n"), false);
      return;
    }
    boolean headOnly = line[0].equals("HEAD");
    if (!headOnly && !line[0].equals("GET")) {
      answer(c, new Response(405, "text/plain", "GET or HEAD only\n"), false);
      return;
    }
    String path = line[1];
    int q = path.indexOf('?');
    Route route = routes.get(q < 0 ? path : path.substring(0, q));
    if (route == null) {
      answer(
          c,
          new Response(404, "text/plain", "not found; try /metrics, /healthz, /readyz\n"),
          headOnly);
      return;
    }
    try {
      route.pool.execute(
          () -> {
            Response r;
            try {
              r = route.answer.get();
            } catch (RuntimeException e) {
              r = new Response(500, "text/plain", "error: " + e + "\n");
            }
            c.answer = encode(r, headOnly);
            answered.add(c);
            selector.wakeup();
          });
    } catch (RejectedExecutionException e) {
      answer(c, new Response(503, "text/plain", "busy\n"), headOnly);
    }
  }

  /** Answers on the selector thread (errors decided without a pool). */
  private void answer(Connection c, Response r, boolean headOnly) {
    c.answer = encode(r, headOnly);
    c.key.interestOps(SelectionKey.OP_WRITE);
    write(c);
  }

  /** The channel can take more: the answer, or what the handshake still has to send. */
  private void writable(Connection c) {
    if (c.answer != null) {
      write(c);
      return;
    }
    try {
      if (c.wire.flush(c.channel)) {
        c.key.interestOps(SelectionKey.OP_READ);
        read(c); // the handshake may go on with bytes already here
      }
    } catch (IOException e) {
      close(c);
    }
  }

  private void write(Connection c) {
    try {
      if (c.wire.write(c.channel, c.answer)) {
        close(c);
      }
    } catch (IOException e) {
      close(c);
    }
  }

  /** Closes connections whose request or answer did not get through in time. */
  private void expire() {
    long now = System.nanoTime();
    List<Connection> late = new ArrayList<>();
    for (SelectionKey k : selector.keys()) {
      if (k.attachment() instanceof Connection c && now - c.deadline > 0) {
        late.add(c);
      }
    }
    late.forEach(this::close);
  }

  private void close(Connection c) {
    if (c.key.isValid()) {
      c.key.cancel();
      open--;
    }
    try {
      c.channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static ByteBuffer encode(Response r, boolean headOnly) {
    byte[] body = r.body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + r.code
            + " "
            + reason(r.code)
            + "\r\nContent-Type: "
            + r.type
            + "\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(h.length + (headOnly ? 0 : body.length));
    b.put(h);
    if (!headOnly) {
      b.put(body);
    }
    return b.flip();
  }

  private static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      default -> "Service Unavailable";
    };
  }

  private static ExecutorService pool(String name) {
    return new ThreadPoolExecutor(
        1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), DaemonThreads.named(name));
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      loop.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      for (SelectionKey k : selector.keys()) {
        k.channel().close();
      }
      selector.close();
      server.close();
    } catch (IOException | ClosedSelectorException e) {
      LOG.warn("event=metrics_http_close_failed error={}", e.toString());
    }
    healthPool.shutdownNow();
    metricsPool.shutdownNow();
  }
}
