package io.aimstore.bench.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Loopback port checks, so a clash is reported before a member fails obscurely. */
public final class Ports {
  private Ports() {}

  /** The ports of {@code ports} that something on 127.0.0.1 already listens on. */
  public static List<Integer> busy(Collection<Integer> ports) {
    List<Integer> busy = new ArrayList<>();
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        busy.add(port);
      }
    }
    return busy;
  }

  public static void requireFree(String what, Collection<Integer> ports) {
    List<Integer> busy = busy(ports);
    if (!busy.isEmpty()) {
      throw new IllegalStateException(
          what + ": ports " + busy + " on 127.0.0.1 are in use; choose another --base-port");
    }
  }
}
