package io.aimstore.cluster;

import io.aimstore.client.AimStoreClient;
import io.aimstore.testkit.Cluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh cluster for each test: {@link #cluster}, started (a leader serves), and {@link #client},
 * a client of every member; both closed after the test. A subclass says which kind of cluster.
 */
abstract class ClusterFixture<C extends Cluster> {
  @TempDir Path dir;
  C cluster;
  AimStoreClient client;

  /** A cluster of three members keeping its files under {@code dir}, not started yet. */
  abstract C newCluster(Path dir) throws Exception;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = newCluster(dir);
    cluster.start();
    client = cluster.client();
  }

  @AfterEach
  void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
