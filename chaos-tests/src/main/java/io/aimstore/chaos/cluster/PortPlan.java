package io.aimstore.chaos.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports of a chaos cluster on 127.0.0.1, from one base (as {@code ops/bin/aimstore-cluster}
 * lays them out): member I serves clients on BASE+I, Raft on BASE+10+I and metrics on BASE+20+I;
 * the proxy of the directed link I → J listens on BASE+100+10·I+J.
 */
public record PortPlan(int base) {

  public int client(int member) {
    return base + member;
  }

  public int raft(int member) {
    return base + 10 + member;
  }

  public int metrics(int member) {
    return base + 20 + member;
  }

  public int proxy(int from, int to) {
    return base + 100 + 10 * from + to;
  }

  /** Every port a cluster of {@code size} members uses. */
  public List<Integer> all(int size) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      ports.add(client(i));
      ports.add(raft(i));
      ports.add(metrics(i));
      for (int j = 1; j <= size; j++) {
        if (i != j) {
          ports.add(proxy(i, j));
        }
      }
    }
    return ports;
  }

  /** Fails, naming the ports, if some port of the cluster is taken (e.g. by a leftover run). */
  public void requireFree(int size) throws IOException {
    List<Integer> busy = new ArrayList<>();
    for (int port : all(size)) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        busy.add(port);
      }
    }
    if (!busy.isEmpty()) {
      throw new IOException(
          "ports "
              + busy
              + " on 127.0.0.1 are in use (a leftover cluster? see 'ss -ltnp'); choose another"
              + " --base-port");
    }
  }
}
