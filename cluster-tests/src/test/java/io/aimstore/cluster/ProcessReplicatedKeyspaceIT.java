package io.aimstore.cluster;

import io.aimstore.testkit.BuildSnapshot;
import io.aimstore.testkit.ProcessCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated-keyspace scenarios on three real server processes started by {@code
 * ops/bin/aimstore-cluster} from a copy of the build: kill -9 is a real SIGKILL here.
 */
class ProcessReplicatedKeyspaceIT extends ReplicatedKeyspaceScenarios<ProcessCluster> {
  @TempDir static Path build;
  static Path bin;

  @BeforeAll
  static void copyTheBuild() throws Exception {
    Path repo = BuildSnapshot.repoRoot();
    BuildSnapshot.ensureBuilt(repo);
    bin = BuildSnapshot.snapshot(repo, build.resolve("bin"));
  }

  @Override
  ProcessCluster newCluster(Path dir) {
    return new ProcessCluster(bin, dir, ProcessCluster.Options.builder().build());
  }
}
