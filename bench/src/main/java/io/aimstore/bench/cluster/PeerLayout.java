package io.aimstore.bench.cluster;

import java.nio.file.Path;
import java.util.List;

/** Where the members of a peer's cluster (etcd, ZooKeeper) listen and keep their files. */
interface PeerLayout {
  int members();

  /** The port member {@code member} serves clients on, on 127.0.0.1. */
  int clientPort(int member);

  /** Every port the members listen on. */
  List<Integer> ports();

  /** Member {@code member}'s data directory (deleted when the cluster stops). */
  Path dataDir(int member);
}
