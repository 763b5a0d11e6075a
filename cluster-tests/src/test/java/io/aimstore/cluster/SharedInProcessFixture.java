package io.aimstore.cluster;

import io.aimstore.testkit.Commands;
import io.aimstore.testkit.InProcessCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One cluster of three members in this JVM for all tests of a class, for tests that leave it as
 * they found it: started before the first test, closed after the last. Its files live in a
 * directory of the class's own, not the per-test {@code @TempDir} (JUnit deletes that after each
 * test, under a cluster that is still running).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedInProcessFixture extends InProcessFixture {
  private Path classDir;

  @BeforeEach
  @Override
  void startCluster() throws Exception {
    if (cluster == null) {
      super.startCluster();
    }
  }

  @Override
  InProcessCluster newCluster(Path testDir) {
    try {
      classDir = Files.createTempDirectory(getClass().getSimpleName() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return super.newCluster(classDir);
  }

  /** Kept for the next test. */
  @Override
  void closeCluster() {}

  @AfterAll
  void closeSharedCluster() {
    super.closeCluster();
    if (classDir != null) {
      Commands.deleteTreeQuietly(classDir);
    }
  }
}
