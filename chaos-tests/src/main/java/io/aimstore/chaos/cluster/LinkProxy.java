package io.aimstore.chaos.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy for one directed Raft link: member A dials this proxy believing it is member B, and
 * the proxy forwards the connection to B. Both directions of every connection A opened to B go
 * through it (B's answers to A's calls too); B's own calls to A use the link B → A.
 *
 * <p>Modes:
 *
 * <ul>
 *   <li>{@link Mode#PASS}: forward bytes as they come.
 *   <li>{@link Mode#DELAY}: forward every chunk {@code delayMs} after it was read, in order.
 *   <li>{@link Mode#DROP}: refuse new connections (accepted and closed at once with a reset) and
 *       close the existing ones.
 *   <li>{@link Mode#BLACKHOLE}: accept connections but forward nothing in either direction and keep
 *       them open, as a network partition does to TCP: the sender's buffers fill, nothing arrives.
 *       When the link heals, what was held back is delivered late, as TCP retransmission would.
 * </ul>
 *
 * {@link #reset()} closes every current connection with a TCP reset, whatever the mode. Every
 * thread is a daemon; {@link #close()} stops them all.
 */
public final class LinkProxy implements AutoCloseable {

  /** What the link does to traffic. */
  public enum Mode {
    PASS,
    DELAY,
    DROP,
    BLACKHOLE
  }

  private static final int CHUNK = 16 * 1024;
  private static final int QUEUED_CHUNKS = 256;

  private final String name;
  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private volatile long delayMs;
  private volatile boolean closed;

  /**
   * Listens on 127.0.0.1:{@code listenPort} and forwards to 127.0.0.1:{@code targetPort}.
   *
   * @param name for logs and reports, e.g. {@code n1->n2}
   */
  public LinkProxy(String name, int listenPort, int targetPort) throws IOException {
    this.name = name;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    this.target = new InetSocketAddress(loopback, targetPort);
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(loopback, listenPort), 64);
    Thread acceptor = new Thread(this::acceptLoop, "proxy-" + name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String name() {
    return name;
  }

  public Mode mode() {
    return mode;
  }

  /** The port it listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far (for checking that traffic really goes through the proxy). */
  public long acceptedConnections() {
    return accepted.get();
  }

  /** Bytes forwarded so far, both directions. */
  public long forwardedBytes() {
    return bytes.get();
  }

  public void pass() {
    setMode(Mode.PASS, 0);
  }

  public void delay(long ms) {
    setMode(Mode.DELAY, ms);
  }

  public void blackhole() {
    setMode(Mode.BLACKHOLE, 0);
  }

  public void drop() {
    setMode(Mode.DROP, 0);
    reset();
  }

  /** Closes every current connection with a TCP reset; the mode stays as it is. */
  public void reset() {
    for (Connection c : connections) {
      c.close();
    }
  }

  private void setMode(Mode m, long delay) {
    synchronized (gate) {
      delayMs = delay;
      mode = m;
      gate.notifyAll();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    reset();
    synchronized (gate) {
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      if (mode == Mode.DROP) {
        closeHard(in);
        continue;
      }
      Socket out = new Socket();
      try {
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
        out.connect(target, 2_000);
      } catch (IOException e) {
        closeHard(in); // the member behind the link is down: the caller sees its refusal
        closeHard(out);
        continue;
      }
      Connection c = new Connection(in, out);
      connections.add(c);
      c.start();
    }
  }

  /** Blocks while the link is a blackhole; returns false once the connection should end. */
  private boolean awaitFlowing(Connection c) throws InterruptedException {
    synchronized (gate) {
      while (mode == Mode.BLACKHOLE && !closed && !c.closed) {
        gate.wait(200);
      }
    }
    return !closed && !c.closed;
  }

  private static void closeHard(Socket s) {
    try {
      if (!s.isClosed()) {
        s.setSoLinger(true, 0); // a reset, not a polite FIN
        s.close();
      }
    } catch (IOException e) {
      // already gone
    }
  }

  /** One proxied TCP connection: two sockets, a pump each way. */
  private final class Connection {
    final Socket caller;
    final Socket callee;
    final Pump up;
    final Pump down;
    volatile boolean closed;

    Connection(Socket caller, Socket callee) {
      this.caller = caller;
      this.callee = callee;
      this.up = new Pump(this, caller, callee, "up");
      this.down = new Pump(this, callee, caller, "down");
    }

    void start() {
      up.start();
      down.start();
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      connections.remove(this);
      closeHard(caller);
      closeHard(callee);
      up.interrupt();
      down.interrupt();
    }
  }

  /** A chunk read from one socket, to be written to the other once due; empty at end of stream. */
  private record Chunk(byte[] data, long dueNanos) {}

  /**
   * Copies one direction. The reader thread writes a chunk itself when the link passes and nothing
   * is queued (no thread hand-off on the common path); otherwise it queues the chunk with the time
   * it is due, and the writer thread sends queued chunks in order, each once due and once the link
   * is not a blackhole. A queued chunk leaves the queue only after it was written, so the reader
   * never overtakes it.
   */
  private final class Pump {
    final Connection connection;
    final Socket from;
    final Socket to;
    final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    final Thread reader;
    final Thread writer;

    Pump(Connection connection, Socket from, Socket to, String direction) {
      this.connection = connection;
      this.from = from;
      this.to = to;
      this.reader = new Thread(this::read, "proxy-" + name + "-" + direction + "-read");
      this.writer = new Thread(this::write, "proxy-" + name + "-" + direction + "-write");
      reader.setDaemon(true);
      writer.setDaemon(true);
    }

    void start() {
      reader.start();
      writer.start();
    }

    void interrupt() {
      reader.interrupt();
      writer.interrupt();
    }

    private void read() {
      byte[] buf = new byte[CHUNK];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (awaitFlowing(connection)) {
          int n = in.read(buf);
          if (n < 0) {
            enqueue(new Chunk(new byte[0], System.nanoTime()));
            return;
          }
          if (n == 0) {
            continue;
          }
          synchronized (this) {
            if (mode == Mode.PASS && queue.isEmpty()) {
              out.write(buf, 0, n);
              bytes.addAndGet(n);
              continue;
            }
          }
          long delay = mode == Mode.DELAY ? delayMs * 1_000_000 : 0;
          enqueue(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + delay));
        }
      } catch (IOException | InterruptedException e) {
        connection.close();
      }
    }

    private synchronized void enqueue(Chunk c) throws InterruptedException {
      while (queue.size() >= QUEUED_CHUNKS && !connection.closed) {
        wait(200);
      }
      queue.addLast(c);
      notifyAll();
    }

    private void write() {
      try {
        OutputStream out = to.getOutputStream();
        while (!connection.closed) {
          Chunk c;
          synchronized (this) {
            while (queue.isEmpty() && !connection.closed) {
              wait(200);
            }
            c = queue.peekFirst();
          }
          if (c == null) {
            return;
          }
          long wait = c.dueNanos() - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          if (!awaitFlowing(connection)) {
            return;
          }
          if (c.data().length == 0) {
            connection.close(); // one side hung up: HTTP/2 has no use for a half-open connection
            return;
          }
          synchronized (this) {
            out.write(c.data());
            bytes.addAndGet(c.data().length);
            queue.pollFirst();
            notifyAll();
          }
        }
      } catch (IOException | InterruptedException e) {
        connection.close();
      }
    }
  }
}
