package io.aimstore.bench.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * ZooKeeper's four-letter words on the client port. Only {@code srvr} is enabled by default ({@code
 * 4lw.commands.whitelist}), and it works without the AdminServer (disabled here); its {@code Mode:}
 * line tells a member's role: leader, follower, or nothing while it is electing.
 */
public final class ZookeeperFourLetter {
  private ZookeeperFourLetter() {}

  /** Sends {@code command} to 127.0.0.1:{@code port} and returns the answer ("" on failure). */
  public static String ask(int port, String command, int timeoutMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
      s.setSoTimeout(timeoutMs);
      OutputStream out = s.getOutputStream();
      out.write(command.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The role in a {@code srvr} answer ("leader", "follower", ...), empty when not serving. */
  public static Optional<String> mode(String srvrAnswer) {
    for (String line : srvrAnswer.split("\n")) {
      if (line.startsWith("Mode:")) {
        String m = line.substring("Mode:".length()).strip();
        return m.isEmpty() ? Optional.empty() : Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
