package io.aimstore.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault-injecting proxy in front of an echo server, mode by mode (loopback sockets). */
class LinkProxyIT {
  ServerSocket echo;
  LinkProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread e = new Thread(() -> echoLoop(s));
                  e.setDaemon(true);
                  e.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    int port;
    try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    proxy = new LinkProxy("a->b", port, echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void passForwardsBothWays() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
      assertThat(roundTrip(s, "again")).isEqualTo("again");
    }
    assertThat(proxy.acceptedConnections()).isEqualTo(1);
    assertThat(proxy.forwardedBytes()).isEqualTo(20);
  }

  @Test
  void delayHoldsEveryChunkBackInOrder() throws IOException {
    proxy.delay(150);
    try (Socket s = connect()) {
      long start = System.nanoTime();
      assertThat(roundTrip(s, "one")).isEqualTo("one");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).as("delayed on the way there and back").isGreaterThanOrEqualTo(290);
      proxy.pass();
      assertThat(roundTrip(s, "two")).isEqualTo("two");
    }
  }

  @Test
  void blackholeForwardsNothingButKeepsTheConnectionAndDeliversOnceHealed() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "before")).isEqualTo("before");
      proxy.blackhole();
      s.setSoTimeout(500);
      s.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      try (Socket late = connect()) {
        late.setSoTimeout(300);
        late.getOutputStream().write('x');
        assertThatThrownBy(() -> late.getInputStream().read())
            .as("new connections are accepted but hear nothing")
            .isInstanceOf(SocketTimeoutException.class);
      }
      proxy.pass();
      s.setSoTimeout(3_000);
      byte[] buf = s.getInputStream().readNBytes(4);
      assertThat(new String(buf, StandardCharsets.UTF_8)).isEqualTo("held");
    }
  }

  @Test
  void dropClosesOpenConnectionsAndRefusesNewOnes() throws IOException {
    cutsAnOpenConnection(proxy::drop);
    try (Socket s = connect()) {
      assertThatThrownBy(() -> roundTrip(s, "no")).isInstanceOf(IOException.class);
    }
    proxy.pass();
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "back")).isEqualTo("back");
    }
  }

  @Test
  void resetClosesOpenConnectionsButNotTheLink() throws IOException {
    cutsAnOpenConnection(proxy::reset);
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "next")).isEqualTo("next");
    }
  }

  /** Opens a connection that works, applies {@code fault}, and checks the connection is cut. */
  private void cutsAnOpenConnection(Runnable fault) throws IOException {
    Socket open = connect();
    assertThat(roundTrip(open, "hi")).isEqualTo("hi");
    fault.run();
    assertThatThrownBy(() -> roundTrip(open, "gone")).isInstanceOf(IOException.class);
    open.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout(3_000);
    return s;
  }

  private static void echoLoop(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      byte[] buf = new byte[1024];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // closed
    }
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    byte[] buf = new byte[text.length()];
    int got = 0;
    while (got < buf.length) {
      int n = s.getInputStream().read(buf, got, buf.length - got);
      if (n < 0) {
        throw new IOException("closed after " + got + " bytes");
      }
      got += n;
    }
    return new String(buf, StandardCharsets.UTF_8);
  }
}
