package io.aimstore.cluster;

import io.aimstore.testkit.InProcessCluster;
import java.nio.file.Path;

/** A fresh cluster of three members in this JVM for each test. */
abstract class InProcessFixture extends ClusterFixture<InProcessCluster> {
  @Override
  InProcessCluster newCluster(Path dir) {
    return new InProcessCluster(dir, 3);
  }
}
