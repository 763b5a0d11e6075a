package io.aimstore.server.metrics;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The metrics endpoint's answer to one GET, timed from connecting to the last byte. */
record Answer(int status, String body, long millis) {
  /** Opens the connection a GET goes over (plain or TLS). */
  interface Connect {
    Socket open() throws IOException;
  }

  /**
   * Sends {@code GET path} over a new connection and reads the answer until the endpoint closes.
   */
  static Answer get(Connect connect, String path) throws IOException {
    long start = System.nanoTime();
    try (Socket s = connect.open()) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      long millis = (System.nanoTime() - start) / 1_000_000;
      int status = Integer.parseInt(all.substring(9, 12));
      return new Answer(status, all.substring(all.indexOf("\r\n\r\n") + 4), millis);
    }
  }
}
