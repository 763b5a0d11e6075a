package io.aimstore.server.core;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of the core on a fresh {@link CoreHarness} for each test, in a temporary directory. */
abstract class CoreTest {
  @TempDir Path dir;
  CoreHarness h;

  @BeforeEach
  void openHarness() {
    h = CoreHarness.open(dir);
  }

  @AfterEach
  void closeHarness() {
    h.close();
  }
}
