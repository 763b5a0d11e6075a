package io.aimstore.ops.deploy;

import static io.aimstore.ops.deploy.DeployFiles.at;
import static io.aimstore.ops.deploy.DeployFiles.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.client.AimStoreClient;
import io.aimstore.testkit.InProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ops/deploy and ops/observe expect of a member, checked against running members: every metric
 * the dashboard and the alert rules read is on a member's {@code /metrics}, and the paths the
 * StatefulSet's probes and the scrape configuration ask for answer.
 */
class ObservabilityIT {
  /** Series Prometheus makes itself for every target, not on any /metrics page. */
  static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

  @TempDir static Path dir;
  static InProcessCluster cluster;
  static HttpClient http;
  static Set<String> exported;

  @BeforeAll
  static void start() throws Exception {
    cluster = new InProcessCluster(dir, 3).start();
    cluster.awaitLeader();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<String> endpoints = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      endpoints.add(cluster.endpoint(i));
    }
    // writes and reads through every member, so that the per-method call timers exist
    try (AimStoreClient client = cluster.client(endpoints)) {
      for (int i = 0; i < 10; i++) {
        AimStoreClient.await(client.kv().put("/observe/k" + i, "v" + i));
        AimStoreClient.await(client.kv().get("/observe/k" + i));
      }
    }
    // the GC pause timer exists only after a first collection: make one, and give its
    // notification time to reach the meter
    System.gc();
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      exported = new TreeSet<>();
      for (int i = 1; i <= cluster.size(); i++) {
        HttpResponse<String> page = get(i, "/metrics");
        assertThat(page.statusCode()).isEqualTo(200);
        exported.addAll(sampleNames(page.body()));
      }
    } while (!exported.contains("jvm_gc_pause_seconds_sum") && pause(until));
  }

  /** Sleeps a little and says whether {@code until} (nano time) is still ahead. */
  private static boolean pause(long until) throws InterruptedException {
    Thread.sleep(200);
    return System.nanoTime() < until;
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static HttpResponse<String> get(int member, String path) throws Exception {
    URI uri = URI.create("http://" + cluster.metricsAddress(member) + path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The sample names of a Prometheus text page ({@code name{labels} value} lines). */
  static Set<String> sampleNames(String page) {
    Set<String> names = new TreeSet<>();
    for (String line : page.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = line.indexOf('{');
      names.add(line.substring(0, end < 0 ? line.indexOf(' ') : end));
    }
    return names;
  }

  /** Every metric name the dashboard's and the rules' expressions read. */
  static Set<String> namesRead() {
    List<String> exprs = new ArrayList<>(PromQl.dashboardExpressions(ObserveFilesTest.dashboard()));
    ObserveFilesTest.rules().forEach(r -> exprs.add((String) r.get("expr")));
    Set<String> names = new TreeSet<>();
    exprs.forEach(e -> names.addAll(PromQl.metricNames(e)));
    return names;
  }

  @Test
  void everyMetricTheDashboardAndTheRulesReadIsOnAMembersMetricsPage() {
    Set<String> missing = new TreeSet<>(namesRead());
    missing.removeAll(exported);
    missing.removeAll(MADE_BY_PROMETHEUS);
    assertThat(missing).as("read by ops/observe but not on /metrics (%s)", exported).isEmpty();
    // the expressions were read at all: the alarm gauge and what Prometheus makes are among them
    assertThat(namesRead()).contains("aimstore_alarm_active").containsAll(MADE_BY_PROMETHEUS);
  }

  @Test
  void theProbesPathsAnswerOnARunningMember() throws Exception {
    Object container =
        list(at(
                DeployFiles.object("StatefulSet", "aimstore"),
                "spec",
                "template",
                "spec",
                "containers"))
            .get(0);
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      String path = (String) at(container, probe, "httpGet", "path");
      HttpResponse<String> answer = get(1, path);
      assertThat(answer.statusCode()).as(probe + " " + path).isEqualTo(200);
      assertThat(answer.body()).as(probe + " " + path).startsWith("ok: ");
    }
    assertThat(get(1, "/no-such-path").statusCode()).isEqualTo(404);
  }

  @Test
  void theScrapePathServesPrometheusText() throws Exception {
    Map<String, Object> scrape =
        DeployFiles.map(
            list(DeployFiles.yaml(DeployFiles.SCRAPE_CONFIG).get("scrape_configs")).get(0));
    HttpResponse<String> page = get(2, (String) scrape.get("metrics_path"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(page.body()).contains("# TYPE aimstore_raft_term gauge");
  }
}
