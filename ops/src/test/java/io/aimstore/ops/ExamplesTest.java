package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.AimConfigRules;
import io.aimstore.api.v1.AimConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The files docs/ tells people to use exist and are what the docs say. */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("..", "docs", "examples");

  @ParameterizedTest
  @ValueSource(strings = {"aim.json", "shadow.json"})
  void configsAreValidAimConfigs(String file) throws Exception {
    AimConfig.Builder b = AimConfig.newBuilder();
    JsonFormat.parser().merge(Files.readString(EXAMPLES.resolve(file)), b);
    assertThat(AimConfigRules.violations(b.build())).isEmpty();
    assertThat(b.getDescription()).isNotBlank();
  }

  @Test
  void pushConfigFencesItsWriteWithTheLockToken() throws Exception {
    Path script = EXAMPLES.resolve("push-config.sh");
    assertThat(Files.isExecutable(script)).isTrue();
    assertThat(Files.readString(script))
        .startsWith("#!/bin/sh")
        .contains("--fence \"$AIMSTORE_LOCK_NAME=$AIMSTORE_LOCK_TOKEN\"");
  }
}
