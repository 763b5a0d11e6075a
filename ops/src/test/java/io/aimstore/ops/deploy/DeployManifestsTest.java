package io.aimstore.ops.deploy;

import static io.aimstore.ops.deploy.DeployFiles.at;
import static io.aimstore.ops.deploy.DeployFiles.list;
import static io.aimstore.ops.deploy.DeployFiles.map;
import static io.aimstore.ops.deploy.DeployFiles.named;
import static io.aimstore.ops.deploy.DeployFiles.object;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.server.ConfigException;
import io.aimstore.server.NodeConfig;
import io.aimstore.server.SecuritySettings;
import io.aimstore.server.api.MemberEndpoints;
import io.aimstore.server.raft.RaftSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy manifests (ops/deploy/k8s), the systemd unit and the example configuration agree with
 * the member they run: the ConfigMap loads through {@link NodeConfig} as every pod's own member,
 * container and Service ports are the ports of the member lines, probes go to the metrics port with
 * the scheme the member serves there, and the unit starts the server with the example
 * configuration's paths. (That the probe paths answer on a running member is checked by {@link
 * ObservabilityIT}.)
 */
class DeployManifestsTest {
  static final String NAMESPACE = "aimstore";
  static final String CONFIG_KEY = "aimstore.conf";
  static final String MAIN = "io.aimstore.server.Main";

  @TempDir Path tmp;

  private static Map<String, Object> statefulSet() {
    return object("StatefulSet", "aimstore");
  }

  private static Map<String, Object> podSpec() {
    return map(at(statefulSet(), "spec", "template", "spec"));
  }

  private static Map<String, Object> container() {
    List<Object> containers = list(podSpec().get("containers"));
    assertThat(containers).hasSize(1);
    return map(containers.get(0));
  }

  private static Map<String, Object> podLabels() {
    return map(at(statefulSet(), "spec", "template", "metadata", "labels"));
  }

  /** Container port numbers by name. */
  private static Map<String, Integer> containerPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object p : list(container().get("ports"))) {
      ports.put((String) map(p).get("name"), (Integer) map(p).get("containerPort"));
    }
    return ports;
  }

  private static String envValue(String name) {
    return (String) named(container().get("env"), "name", name).get("value");
  }

  private static String mountPath(String volume) {
    return (String) named(container().get("volumeMounts"), "name", volume).get("mountPath");
  }

  /** The configuration pod {@code podName} starts with: the ConfigMap's file and its env. */
  private NodeConfig podConfig(String podName) throws Exception {
    Map<String, Object> nameVar = named(container().get("env"), "name", "AIMSTORE_NAME");
    assertThat(at(nameVar, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("metadata.name");
    Path file = tmp.resolve(CONFIG_KEY);
    Files.writeString(
        file, (String) at(object("ConfigMap", "aimstore-config"), "data", CONFIG_KEY));
    return NodeConfig.load(
        new String[0], Map.of("AIMSTORE_CONFIG", file.toString(), "AIMSTORE_NAME", podName));
  }

  private static List<String> podNames() {
    List<String> names = new ArrayList<>();
    int replicas = (Integer) at(statefulSet(), "spec", "replicas");
    for (int i = 0; i < replicas; i++) {
      names.add(at(statefulSet(), "metadata", "name") + "-" + i);
    }
    return names;
  }

  @Test
  void everyManifestParsesAndLivesInTheNamespace() {
    assertThat(DeployFiles.manifests()).isNotEmpty();
    List<Map<String, Object>> objects = DeployFiles.objects();
    assertThat(objects)
        .extracting(o -> o.get("kind"))
        .contains("Namespace", "ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget");
    for (Map<String, Object> o : objects) {
      assertThat(o.get("apiVersion")).as("apiVersion of %s", o.get("kind")).isNotNull();
      assertThat(at(o, "metadata", "name")).as("name of a %s", o.get("kind")).isNotNull();
      if (!"Namespace".equals(o.get("kind"))) {
        assertThat(at(o, "metadata", "namespace"))
            .as("namespace of %s %s", o.get("kind"), at(o, "metadata", "name"))
            .isEqualTo(NAMESPACE);
      }
    }
    assertThat(at(object("Namespace", NAMESPACE), "metadata", "name")).isEqualTo(NAMESPACE);
  }

  @Test
  void everyPodLoadsTheConfigMapAsItsOwnMemberOnItsOwnDnsName() throws Exception {
    String headless = (String) at(statefulSet(), "spec", "serviceName");
    Map<String, Integer> ports = containerPorts();
    List<String> pods = podNames();
    for (String pod : pods) {
      NodeConfig config = podConfig(pod);
      assertThat(config.name()).isEqualTo(pod);
      assertThat(config.members().keySet()).containsExactlyElementsOf(pods);
      String host = pod + "." + headless + "." + NAMESPACE + ".svc.cluster.local";
      MemberEndpoints self = config.self();
      assertThat(self.raft()).isEqualTo(host + ":" + ports.get("raft"));
      assertThat(self.client()).isEqualTo(host + ":" + ports.get("client"));
      assertThat(self.metrics()).isEqualTo(host + ":" + ports.get("metrics"));
      // its data dir is its own volume, its TLS files come from the Secret
      assertThat(config.dataDir()).isEqualTo(Path.of(mountPath("data")));
      SecuritySettings security = config.security();
      assertThat(security.insecure()).isFalse();
      Path tlsDir = Path.of(mountPath("tls"));
      assertThat(security.caFile()).isEqualTo(tlsDir.resolve("ca.crt"));
      assertThat(security.certFile()).isEqualTo(tlsDir.resolve(pod + ".crt"));
      assertThat(security.keyFile()).isEqualTo(tlsDir.resolve(pod + ".key"));
    }
    List<Object> claims = list(at(statefulSet(), "spec", "volumeClaimTemplates"));
    assertThat(claims).extracting(c -> at(c, "metadata", "name")).containsExactly("data");
    Map<String, Object> tls = named(podSpec().get("volumes"), "name", "tls");
    assertThat(at(tls, "secret", "secretName")).isEqualTo("aimstore-tls");
    // the ConfigMap's file is where AIMSTORE_CONFIG points
    Map<String, Object> config = named(container().get("volumeMounts"), "name", "config");
    assertThat(config.get("mountPath")).isEqualTo(envValue("AIMSTORE_CONFIG"));
    assertThat(config.get("subPath")).isEqualTo(CONFIG_KEY);
    assertThat(at(named(podSpec().get("volumes"), "name", "config"), "configMap", "name"))
        .isEqualTo("aimstore-config");
  }

  @Test
  void theConfigMapStatesTheServersDefaults() throws Exception {
    // every key is one NodeConfig reads (load refuses others), and the optional ones it sets are
    // the defaults, written out so that an operator sees what the members run with
    NodeConfig config = podConfig(podNames().get(0));
    assertThat(config.raft()).isEqualTo(RaftSettings.DEFAULT);
    assertThat(config.security().maxQuarantine())
        .isEqualTo(SecuritySettings.DEFAULT_MAX_QUARANTINE);
    assertThat(config.join()).isFalse();
    assertThat(config.clusterToken()).isNull();
  }

  @Test
  void aMisspelledKeyInTheConfigMapWouldBeRefused() throws Exception {
    // what makes the check above worth something: NodeConfig names unknown keys
    Path file = tmp.resolve("bad.conf");
    Files.writeString(
        file,
        at(object("ConfigMap", "aimstore-config"), "data", CONFIG_KEY)
            + "election-timeout = 500-1000\n");
    try {
      NodeConfig.load(new String[] {"--config", file.toString(), "--name", "aimstore-0"}, Map.of());
      throw new AssertionError("loaded a config with an unknown key");
    } catch (ConfigException e) {
      assertThat(e.getMessage()).contains("key 'election-timeout' is unknown");
    }
  }

  @Test
  void servicesExposeTheMembersPorts() {
    Map<String, Integer> ports = containerPorts();
    assertThat(ports.keySet()).containsExactlyInAnyOrder("client", "raft", "metrics");
    Map<String, Object> headless =
        object("Service", (String) at(statefulSet(), "spec", "serviceName"));
    assertThat(at(headless, "spec", "clusterIP")).isEqualTo("None");
    assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
    assertServicePorts(headless, ports, Set.of("client", "raft", "metrics"));
    Map<String, Object> client = object("Service", "aimstore-client");
    assertServicePorts(client, ports, Set.of("client"));
    for (Map<String, Object> s : List.of(headless, client)) {
      assertThat(map(at(s, "spec", "selector"))).isEqualTo(podLabels());
    }
    // Kubernetes would otherwise set AIMSTORE_CLIENT_PORT and the like in the member's
    // environment, where it reads AIMSTORE_* settings
    assertThat(podSpec().get("enableServiceLinks")).isEqualTo(false);
  }

  private static void assertServicePorts(
      Map<String, Object> service, Map<String, Integer> containerPorts, Set<String> names) {
    List<Object> ports = list(at(service, "spec", "ports"));
    assertThat(ports)
        .extracting(p -> map(p).get("name"))
        .containsExactlyInAnyOrderElementsOf(names);
    for (Object p : ports) {
      String name = (String) map(p).get("name");
      assertThat(map(p).get("port")).as("port %s", name).isEqualTo(containerPorts.get(name));
      assertThat(map(p).get("targetPort")).as("targetPort %s", name).isEqualTo(name);
    }
  }

  @Test
  void probesAskTheMetricsPortForHealthAndReadinessOverHttps() throws Exception {
    MemberEndpoints self = podConfig(podNames().get(0)).self();
    String host = self.metrics().substring(0, self.metrics().lastIndexOf(':'));
    // the member serves HTTPS on a metrics address that is not loopback when TLS is on
    assertThat(host).isNotIn("127.0.0.1", "localhost", "::1");
    Map<String, String> paths =
        Map.of(
            "startupProbe", "/healthz", "livenessProbe", "/healthz", "readinessProbe", "/readyz");
    paths.forEach(
        (probe, path) -> {
          Object get = at(container(), probe, "httpGet");
          assertThat(at(get, "path")).as("%s path", probe).isEqualTo(path);
          assertThat(at(get, "port")).as("%s port", probe).isEqualTo("metrics");
          assertThat(at(get, "scheme")).as("%s scheme", probe).isEqualTo("HTTPS");
        });
    // startup covers a long log replay; liveness then restarts a member that stops serving
    int startup =
        (Integer) at(container(), "startupProbe", "periodSeconds")
            * (Integer) at(container(), "startupProbe", "failureThreshold");
    assertThat(startup).isGreaterThanOrEqualTo(120);
  }

  @Test
  void theMembersStartTogetherAndADisruptionKeepsAQuorum() {
    // a member is ready only once a leader is known: OrderedReady would never start the second
    assertThat(at(statefulSet(), "spec", "podManagementPolicy")).isEqualTo("Parallel");
    int replicas = (Integer) at(statefulSet(), "spec", "replicas");
    Map<String, Object> pdb = object("PodDisruptionBudget", "aimstore");
    int maxUnavailable = (Integer) at(pdb, "spec", "maxUnavailable");
    assertThat(maxUnavailable).isEqualTo(1);
    assertThat(replicas - maxUnavailable).isGreaterThanOrEqualTo(replicas / 2 + 1);
    assertThat(map(at(pdb, "spec", "selector", "matchLabels"))).isEqualTo(podLabels());
    assertThat(map(at(statefulSet(), "spec", "selector", "matchLabels"))).isEqualTo(podLabels());
  }

  @Test
  void theImageHoldsWhatTheCommandRuns() throws Exception {
    List<Object> command = list(container().get("command"));
    assertThat(command.get(0)).isEqualTo("java");
    assertThat(command.get(command.size() - 1)).isEqualTo(MAIN);
    Class.forName(MAIN); // the class exists
    String classpath = (String) command.get(command.indexOf("-cp") + 1);
    String dockerfile = DeployFiles.read(DeployFiles.DOCKERFILE);
    assertThat(classpath).isEqualTo("/opt/aimstore/aimstore-server.jar:/opt/aimstore/lib/*");
    assertThat(dockerfile)
        .contains("COPY aimstore-server.jar /opt/aimstore/aimstore-server.jar")
        .contains("COPY lib/ /opt/aimstore/lib/")
        .contains("USER " + at(podSpec(), "securityContext", "runAsUser"));
    // read-only root: /tmp (RocksDB unpacks its native library there) is a volume
    assertThat(at(container(), "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(mountPath("tmp")).isEqualTo("/tmp");
  }

  /** The unit's settings, continuation lines joined; a key may repeat. */
  private static Map<String, List<String>> unit() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String text = DeployFiles.read(DeployFiles.SYSTEMD_UNIT).replace("\\\n", " ");
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("[")) {
        continue;
      }
      int eq = l.indexOf('=');
      out.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>())
          .add(l.substring(eq + 1).replaceAll("\\s+", " "));
    }
    return out;
  }

  @Test
  void theSystemdUnitRunsTheExampleConfigWithTheRightPathsAndExitCodes() throws Exception {
    Map<String, List<String>> unit = unit();
    String exec = unit.get("ExecStart").get(0);
    Matcher m =
        Pattern.compile("-cp (\\S+) " + Pattern.quote(MAIN) + " --config (\\S+)$").matcher(exec);
    assertThat(m.find()).as(exec).isTrue();
    assertThat(m.group(1)).isEqualTo("/opt/aimstore/aimstore-server.jar:/opt/aimstore/lib/*");
    assertThat(m.group(2)).isEqualTo("/etc/aimstore/aimstore.conf");
    // the example configuration loads, and its data dir is the unit's state directory
    NodeConfig example =
        NodeConfig.load(new String[] {"--config", DeployFiles.CONF_EXAMPLE.toString()}, Map.of());
    assertThat(example.security().insecure()).isFalse();
    assertThat(example.dataDir())
        .isEqualTo(Path.of("/var/lib/", unit.get("StateDirectory").get(0)));
    assertThat(unit.get("ReadWritePaths")).containsExactly(example.dataDir().toString());
    assertThat(unit.get("User")).containsExactly("aimstore");
    // Main exits 2 for what the operator must fix: no restart loop on it; SIGTERM is a clean stop
    assertThat(unit.get("RestartPreventExitStatus")).containsExactly("2");
    assertThat(unit.get("SuccessExitStatus")).containsExactly("143");
    assertThat(unit.get("Restart")).containsExactly("on-failure");
    assertThat(Integer.parseInt(unit.get("LimitNOFILE").get(0))).isGreaterThanOrEqualTo(65536);
    // Kubernetes gives a member the same time to stop
    assertThat(unit.get("TimeoutStopSec").get(0))
        .isEqualTo(String.valueOf(podSpec().get("terminationGracePeriodSeconds")));
  }
}
