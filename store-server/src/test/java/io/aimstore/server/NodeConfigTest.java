package io.aimstore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configuration from file, environment and flags; bad settings and foreign data dirs are refused.
 */
class NodeConfigTest {
  @TempDir Path dir;

  static final String M1 = "n1@raft=127.0.0.1:7411,client=127.0.0.1:7401,metrics=127.0.0.1:7421";
  static final String M2 = "n2@raft=127.0.0.1:7412,client=127.0.0.1:7402,metrics=127.0.0.1:7422";

  static NodeConfig load(Map<String, String> env, String... args) throws ConfigException {
    return NodeConfig.load(args, env);
  }

  @Test
  void flagsOverrideTheEnvironmentWhichOverridesTheFile() throws Exception {
    Path file = dir.resolve("a.conf");
    Files.writeString(
        file,
        "# comment\ncluster = from-file\nname = n1\ndata-dir = /tmp/x\nmember = "
            + M1
            + "\nmember = "
            + M2
            + "\nelection-timeout-ms = 400-900\ninsecure = true\n");
    NodeConfig c =
        load(Map.of("AIMSTORE_CLUSTER", "from-env"), "--config", file.toString(), "--name=n2");
    assertThat(c.cluster()).isEqualTo("from-env");
    assertThat(c.name()).isEqualTo("n2");
    assertThat(c.members()).containsOnlyKeys("n1", "n2");
    assertThat(c.self().client()).isEqualTo("127.0.0.1:7402");
    assertThat(c.raft().electionTimeoutMin()).isEqualTo(Duration.ofMillis(400));
    assertThat(c.raft().electionTimeoutMax()).isEqualTo(Duration.ofMillis(900));
  }

  @Test
  void membersCanComeFromOneEnvironmentVariable() throws Exception {
    NodeConfig c =
        load(
            Map.of(
                "AIMSTORE_MEMBERS",
                M1 + ";" + M2,
                "AIMSTORE_NAME",
                "n1",
                "AIMSTORE_DATA_DIR",
                "/tmp/x",
                "AIMSTORE_INSECURE",
                "true"));
    assertThat(c.members()).hasSize(2);
    assertThat(c.cluster()).isEqualTo("aimstore");
  }

  /** A command line, its arguments split at spaces. */
  static String[] argv(String line) {
    return line.split(" ");
  }

  static Stream<Arguments> bad() {
    String valid = "--name n1 --data-dir /x --member " + M1;
    return Stream.of(
        Arguments.of(argv("--data-dir /x --member " + M1), "missing required setting 'name'"),
        Arguments.of(argv("--name n1 --member " + M1), "missing required setting 'data-dir'"),
        Arguments.of(argv("--name n1 --data-dir /x"), "no members configured"),
        Arguments.of(
            argv("--name n3 --data-dir /x --member " + M1), "'n3' is not in the member list"),
        Arguments.of(
            argv(
                "--name n1 --data-dir /x --member"
                    + " n1@raft=127.0.0.1:99999,client=127.0.0.1:1,metrics=127.0.0.1:2"),
            "port 99999 is out of range"),
        Arguments.of(
            argv("--name n1 --data-dir /x --member n1@raft=127.0.0.1:1,client=127.0.0.1:2"),
            "has no metrics= address"),
        Arguments.of(argv(valid + " --member " + M1.replace("n1@", "n2@")), "is used twice"),
        Arguments.of(argv(valid + " --frobnicate 1"), "flag --frobnicate is unknown"),
        Arguments.of(argv(valid + " --election-timeout-ms 900-400"), "MIN-MAX"),
        Arguments.of(argv(valid + " --snapshot-threshold ten"), "must be a number"),
        Arguments.of(argv(valid), "no TLS files: set tls-dir"),
        Arguments.of(argv(valid + " --insecure maybe"), "insecure must be true or false"),
        Arguments.of(
            argv(valid + " --insecure true --max-quarantine 100000"),
            "max-quarantine must be a duration like 90s"));
  }

  @Test
  void theCorruptionCheckRunsEveryFiveMinutesUnlessConfiguredOrOff() throws Exception {
    String[] common = {
      "--name", "n1", "--data-dir", "/x", "--member", M1, "--member", M2, "--insecure", "true"
    };
    assertThat(load(Map.of(), common).corruptionCheckInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(load(Map.of("AIMSTORE_CORRUPTION_CHECK_INTERVAL", "30s"), common))
        .extracting(NodeConfig::corruptionCheckInterval)
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(load(Map.of("AIMSTORE_CORRUPTION_CHECK_INTERVAL", "off"), common))
        .extracting(NodeConfig::corruptionCheckInterval)
        .isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> load(Map.of("AIMSTORE_CORRUPTION_CHECK_INTERVAL", "1s"), common))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("corruption-check-interval must be at least 10s (or off)");
  }

  @Test
  void theStorageQuotaIsTwoGibibytesUnlessSetAndZeroTurnsItOff() throws Exception {
    String[] common = {"--name", "n1", "--data-dir", "/x", "--member", M1, "--insecure", "true"};
    assertThat(load(Map.of(), common).storage().quotaBackendBytes()).isEqualTo(2L << 30);
    for (var c :
        Map.of("8MiB", 8L << 20, "8M", 8L << 20, "1048576", 1L << 20, "0", 0L, "3GiB", 3L << 30)
            .entrySet()) {
      assertThat(
              load(Map.of("AIMSTORE_QUOTA_BACKEND_BYTES", c.getKey()), common)
                  .storage()
                  .quotaBackendBytes())
          .as(c.getKey())
          .isEqualTo(c.getValue());
    }
    assertThatThrownBy(() -> load(Map.of("AIMSTORE_QUOTA_BACKEND_BYTES", "lots"), common))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("quota-backend-bytes must be a size in bytes");
  }

  @Test
  void aJoiningMemberSaysSo() throws Exception {
    String[] common = {
      "--name", "n2", "--data-dir", "/x", "--member", M1, "--member", M2, "--insecure", "true"
    };
    assertThat(load(Map.of(), common).join()).isFalse();
    String[] joining = java.util.Arrays.copyOf(common, common.length + 2);
    joining[common.length] = "--join";
    joining[common.length + 1] = "true";
    assertThat(load(Map.of(), joining).join()).isTrue();
    assertThat(load(Map.of("AIMSTORE_JOIN", "yes"), common).join()).isTrue();
  }

  @Test
  void tlsFilesComeFromADirectoryOrOneByOneAndDurationsNeedAUnit() throws Exception {
    NodeConfig c =
        load(
            Map.of(),
            "--name",
            "n1",
            "--data-dir",
            "/x",
            "--member",
            M1,
            "--tls-dir",
            "/etc/tls",
            "--tls-key",
            "/keys/n1.key",
            "--max-quarantine",
            "2h");
    assertThat(c.security().insecure()).isFalse();
    assertThat(c.security().caFile()).isEqualTo(Path.of("/etc/tls/ca.crt"));
    assertThat(c.security().certFile()).isEqualTo(Path.of("/etc/tls/n1.crt"));
    assertThat(c.security().keyFile()).isEqualTo(Path.of("/keys/n1.key"));
    assertThat(c.security().maxQuarantine()).isEqualTo(Duration.ofHours(2));
    assertThat(NodeConfig.parseDuration("q", "PT90M")).isEqualTo(Duration.ofMinutes(90));
    assertThat(NodeConfig.parseDuration("q", "1d")).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> NodeConfig.parseDuration("q", "100000d0"))
        .isInstanceOf(ConfigException.class);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("bad")
  void badSettingsAreRefusedWithAClearMessage(String[] args, String message) {
    assertThatThrownBy(() -> load(Map.of(), args))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aDataDirBelongsToOneClusterAndMember() throws Exception {
    Path data = dir.resolve("data");
    try (DataDirectory d = DataDirectory.open(data, "prod", "n1")) {
      assertThat(d.kv().startsWith(data)).isTrue();
      assertThatThrownBy(() -> DataDirectory.open(data, "prod", "n1"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("in use by another aimstore process");
    }
    assertThatThrownBy(() -> DataDirectory.open(data, "test", "n1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("belongs to cluster=prod member=n1")
        .hasMessageContaining("point --data-dir elsewhere");
    DataDirectory.open(data, "prod", "n1").close();
  }

  @Test
  void anUnusableDataDirIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> DataDirectory.open(file, "c", "n1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("data dir");
    Path data = dir.resolve("orphan");
    Files.createDirectories(data.resolve("kv"));
    assertThatThrownBy(() -> DataDirectory.open(data, "c", "n1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds data but no identity file");
  }
}
