package io.aimstore.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One cluster of three members in this JVM for all tests of a class, for tests that leave it as
 * they found it: started before the first test, closed after the last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedInProcessFixture extends InProcessFixture {
  @BeforeEach
  @Override
  void startCluster() throws Exception {
    if (cluster == null) {
      super.startCluster();
    }
  }

  /** Kept for the next test. */
  @Override
  void closeCluster() {}

  @AfterAll
  void closeSharedCluster() {
    super.closeCluster();
  }
}
