package io.aimstore.bench.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines of a 3-member etcd cluster on 127.0.0.1: member I serves clients on BASE+I and
 * peers on BASE+10+I, with its data under {@code dir/nI/data}.
 *
 * @param dir the cluster directory
 * @param basePort port base
 * @param members number of members
 * @param token initial-cluster token (distinct per cluster so stale peers are refused)
 */
public record EtcdConfig(Path dir, int basePort, int members, String token) implements PeerLayout {

  public int clientPort(int member) {
    return basePort + member;
  }

  public int peerPort(int member) {
    return basePort + 10 + member;
  }

  public String clientUrl(int member) {
    return "http://127.0.0.1:" + clientPort(member);
  }

  public String peerUrl(int member) {
    return "http://127.0.0.1:" + peerPort(member);
  }

  public Path dataDir(int member) {
    return dir.resolve("n" + member).resolve("data");
  }

  public List<String> clientUrls() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= members; i++) {
      out.add(clientUrl(i));
    }
    return out;
  }

  public List<Integer> ports() {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= members; i++) {
      out.add(clientPort(i));
      out.add(peerPort(i));
    }
    return out;
  }

  /** Arguments after the etcd binary for member {@code member} (1-based). */
  public List<String> args(int member) {
    StringBuilder initial = new StringBuilder();
    for (int i = 1; i <= members; i++) {
      if (i > 1) {
        initial.append(',');
      }
      initial.append('n').append(i).append('=').append(peerUrl(i));
    }
    return List.of(
        "--name=n" + member,
        "--data-dir=" + dataDir(member),
        "--listen-client-urls=" + clientUrl(member),
        "--advertise-client-urls=" + clientUrl(member),
        "--listen-peer-urls=" + peerUrl(member),
        "--initial-advertise-peer-urls=" + peerUrl(member),
        "--initial-cluster=" + initial,
        "--initial-cluster-token=" + token,
        "--initial-cluster-state=new",
        // a full run writes ~1M revisions per cluster; the 2 GiB default quota could raise NOSPACE
        "--quota-backend-bytes=" + (8L << 30),
        "--logger=zap",
        "--log-level=warn",
        // /debug/pprof/heap?gc=1 forces a collection before the memory readings of the idle
        // watcher workload (the JVMs get jcmd GC.run); the handlers cost nothing otherwise
        "--enable-pprof");
  }
}
