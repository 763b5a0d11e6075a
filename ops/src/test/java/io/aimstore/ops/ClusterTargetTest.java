package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimstore.client.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which cluster aimctl talks to: the same rule as aimstore-cluster, first match wins. */
class ClusterTargetTest {
  @TempDir Path tmp;

  private Path cluster(String name, int size, int base) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("cluster.env"), "SIZE=" + size + "\nBASE=" + base + "\n");
    return dir;
  }

  @Test
  void theEndpointsFlagWinsThenTheEnvironment() throws IOException {
    Path dir = cluster("c", 3, 9600);
    Map<String, String> env =
        Map.of(
            "AIMSTORE_ENDPOINTS",
            "10.0.0.1:7401,10.0.0.2:7401",
            "AIMSTORE_CLUSTER_DIR",
            dir.toString());
    assertThat(ClusterTarget.resolve(List.of("h:1"), dir, env, tmp).endpoints())
        .containsExactly("h:1");
    ClusterTarget fromEnv = ClusterTarget.resolve(null, dir, env, tmp);
    assertThat(fromEnv.endpoints()).containsExactly("10.0.0.1:7401", "10.0.0.2:7401");
    assertThat(fromEnv.source()).isEqualTo("$AIMSTORE_ENDPOINTS");
  }

  @Test
  void aClusterDirectoryGivesItsRecordedPorts() throws IOException {
    Path dir = cluster("c", 5, 9600);
    ClusterTarget t =
        ClusterTarget.resolve(null, null, Map.of("AIMSTORE_CLUSTER_DIR", dir.toString()), null);
    assertThat(t.endpoints())
        .containsExactly(
            "127.0.0.1:9601",
            "127.0.0.1:9602",
            "127.0.0.1:9603",
            "127.0.0.1:9604",
            "127.0.0.1:9605");
    assertThat(t.directory()).contains(dir);
    assertThat(t.describe()).contains(dir.resolve("cluster.env").toString());
    Path other = cluster("other", 3, 8800);
    assertThat(
            ClusterTarget.resolve(null, other, Map.of("AIMSTORE_CLUSTER_DIR", dir.toString()), null)
                .endpoints())
        .as("--cluster-dir before $AIMSTORE_CLUSTER_DIR")
        .startsWith("127.0.0.1:8801");
  }

  @Test
  void theCheckoutsLocalClusterThenTheDefaultPorts() throws IOException {
    Path checkout = Files.createDirectories(tmp.resolve("repo"));
    assertThat(ClusterTarget.resolve(null, null, Map.of(), checkout).endpoints())
        .isEqualTo(ClusterTarget.DEFAULT_ENDPOINTS);
    Files.createDirectories(checkout.resolve(".local-cluster"));
    Files.writeString(checkout.resolve(".local-cluster/cluster.env"), "SIZE=3\nBASE=8600\n");
    assertThat(ClusterTarget.resolve(null, null, Map.of(), checkout).endpoints())
        .containsExactly("127.0.0.1:8601", "127.0.0.1:8602", "127.0.0.1:8603");
  }

  @Test
  void aNamedDirectoryWithoutAClusterIsAnErrorNotTheDefaultPorts() {
    assertThatThrownBy(
            () ->
                ClusterTarget.resolve(
                    null,
                    null,
                    Map.of("AIMSTORE_CLUSTER_DIR", tmp.resolve("none").toString()),
                    null))
        .isInstanceOf(Aimctl.UsageError.class)
        .hasMessageContaining("no cluster in")
        .hasMessageContaining("$AIMSTORE_CLUSTER_DIR");
  }

  @Test
  void badEndpointsAndHostsAreUsageErrors() {
    assertThatThrownBy(() -> ClusterTarget.resolve(List.of("nohost"), null, Map.of(), null))
        .isInstanceOf(Aimctl.UsageError.class)
        .hasMessageContaining("not HOST:PORT");
    assertThatThrownBy(() -> ClusterTarget.resolve(List.of("h:99999"), null, Map.of(), null))
        .isInstanceOf(Aimctl.UsageError.class);
    ClusterTarget t =
        ClusterTarget.resolve(List.of("no-such-host.invalid:7401"), null, Map.of(), null);
    assertThatThrownBy(t::checkResolvable)
        .isInstanceOf(Aimctl.UsageError.class)
        .hasMessageContaining("cannot resolve host 'no-such-host.invalid'");
  }

  private static ClusterTarget.TlsFlags files(Path ca, Path cert, Path key) {
    return new ClusterTarget.TlsFlags(false, ca, cert, key);
  }

  @Test
  void tlsComesFromFlagsThenTheEnvironmentThenTheClusterDirectory() throws IOException {
    Path dir = cluster("c", 3, 9600);
    Path tls = Files.createDirectories(dir.resolve("tls"));
    for (String f : List.of("ca.crt", "operator.crt", "operator.key", "me.crt", "me.key")) {
      Files.writeString(tls.resolve(f), "pem");
    }
    Map<String, String> env = Map.of("AIMSTORE_CLUSTER_DIR", dir.toString());
    ClusterTarget t = ClusterTarget.resolve(null, null, env, null);

    assertThat(t.withTls(ClusterTarget.TlsFlags.NONE, env, null).tls().orElseThrow().certFile())
        .as("the cluster directory's operator certificate")
        .isEqualTo(tls.resolve("operator.crt"));
    ClusterTarget.TlsFlags mine =
        files(tls.resolve("ca.crt"), tls.resolve("me.crt"), tls.resolve("me.key"));
    assertThat(t.withTls(mine, env, null).tls().orElseThrow().certFile())
        .isEqualTo(tls.resolve("me.crt"));
    Map<String, String> certEnv =
        Map.of(
            "AIMSTORE_CACERT", tls.resolve("ca.crt").toString(),
            "AIMSTORE_CERT", tls.resolve("me.crt").toString(),
            "AIMSTORE_KEY", tls.resolve("me.key").toString());
    assertThat(
            ClusterTarget.resolve(List.of("h:1"), null, certEnv, null)
                .withTls(ClusterTarget.TlsFlags.NONE, certEnv, null)
                .tls()
                .orElseThrow()
                .keyFile())
        .isEqualTo(tls.resolve("me.key"));
    TlsFiles byCert =
        t.withTls(files(null, tls.resolve("me.crt"), null), env, null).tls().orElseThrow();
    assertThat(byCert.keyFile()).as("the key beside --cert").isEqualTo(tls.resolve("me.key"));
    assertThat(byCert.caFile()).as("the cluster's CA").isEqualTo(tls.resolve("ca.crt"));
    assertThat(t.withTls(new ClusterTarget.TlsFlags(true, null, null, null), env, null).tls())
        .as("--insecure")
        .isEmpty();
    assertThat(
            t.withTls(ClusterTarget.TlsFlags.NONE, Map.of("AIMSTORE_INSECURE", "true"), null).tls())
        .isEmpty();

    Files.writeString(dir.resolve("cluster.env"), "SIZE=3\nBASE=9600\nINSECURE=1\n");
    assertThat(t.withTls(ClusterTarget.TlsFlags.NONE, env, null).tls())
        .as("a cluster started with --insecure")
        .isEmpty();
  }

  @Test
  void missingOrPartialTlsFilesAreUsageErrorsSayingWhatToPass() {
    ClusterTarget t = ClusterTarget.resolve(List.of("h:1"), null, Map.of(), null);
    assertThatThrownBy(() -> t.withTls(ClusterTarget.TlsFlags.NONE, Map.of(), null))
        .isInstanceOf(Aimctl.UsageError.class)
        .hasMessageContaining("no TLS files for")
        .hasMessageContaining("--cacert, --cert and --key")
        .hasMessageContaining("--insecure");
    assertThatThrownBy(() -> t.withTls(files(tmp.resolve("ca.crt"), null, null), Map.of(), null))
        .isInstanceOf(Aimctl.UsageError.class)
        .hasMessageContaining("go together");
    Path gone = tmp.resolve("gone.crt");
    assertThatThrownBy(() -> t.withTls(files(gone, gone, gone), Map.of(), null))
        .isInstanceOf(Aimctl.UsageError.class)
        .hasMessage("TLS file " + gone + " does not exist");
  }
}
