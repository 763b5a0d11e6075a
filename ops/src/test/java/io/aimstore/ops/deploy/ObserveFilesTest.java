package io.aimstore.ops.deploy;

import static io.aimstore.ops.deploy.DeployFiles.at;
import static io.aimstore.ops.deploy.DeployFiles.list;
import static io.aimstore.ops.deploy.DeployFiles.map;
import static io.aimstore.ops.deploy.DeployFiles.named;
import static io.aimstore.ops.deploy.DeployFiles.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The alert rules, the dashboard and the scrape configuration of ops/observe fit together and fit
 * the deployment: every alert has a runbook entry in docs/operations.md, every expression selects
 * the scrape job, and the scrape configuration reaches the members' metrics port by a name their
 * certificates hold. (That the metrics they read exist is {@link ObservabilityIT}'s check.)
 */
class ObserveFilesTest {
  static final String JOB = "aimstore";

  /** The alerts issue 14 asks for, and two that complete them. */
  static final Set<String> ALERTS =
      Set.of(
          "AimstoreNoLeader",
          "AimstoreApplyLag",
          "AimstoreMemberStalled",
          "AimstoreGhostLease",
          "AimstoreSlowWatchers",
          "AimstoreWatchBacklogOverflow",
          "AimstoreQuotaAlarm",
          "AimstoreCorruptionAlarm",
          "AimstoreMemberDown");

  /** Every rule of the rule file, as maps. */
  static List<Map<String, Object>> rules() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object group : list(DeployFiles.yaml(DeployFiles.ALERT_RULES).get("groups"))) {
      for (Object rule : list(map(group).get("rules"))) {
        out.add(map(rule));
      }
    }
    return out;
  }

  static Map<String, Object> dashboard() {
    return map(new Gson().fromJson(DeployFiles.read(DeployFiles.DASHBOARD), Object.class));
  }

  @Test
  void everyAlertHasASeverityASummaryAndARunbookEntry() {
    List<Map<String, Object>> rules = rules();
    assertThat(rules).extracting(r -> r.get("alert")).containsExactlyInAnyOrderElementsOf(ALERTS);
    String operations = DeployFiles.read(DeployFiles.OPERATIONS);
    for (Map<String, Object> r : rules) {
      String alert = (String) r.get("alert");
      assertThat(at(r, "labels", "severity")).as(alert).isIn("warning", "critical");
      assertThat((String) at(r, "annotations", "summary")).as(alert).isNotBlank();
      assertThat((String) at(r, "annotations", "description")).as(alert).isNotBlank();
      // GitHub's anchor for the heading "### AimstoreNoLeader" is #aimstorenoleader
      assertThat(at(r, "annotations", "runbook_url"))
          .as(alert)
          .isEqualTo("docs/operations.md#" + alert.toLowerCase(Locale.ROOT));
      assertThat(operations.contains("\n### " + alert + "\n"))
          .as("docs/operations.md has a heading ### " + alert)
          .isTrue();
    }
  }

  @Test
  void theAlarmAlertsAreTheAgreedAlarmGauge() {
    Map<String, String> alarms =
        Map.of("AimstoreQuotaAlarm", "NOSPACE", "AimstoreCorruptionAlarm", "CORRUPT");
    alarms.forEach(
        (alert, alarm) ->
            assertThat(named(rules(), "alert", alert).get("expr"))
                .isEqualTo(
                    "aimstore_alarm_active{job=\"" + JOB + "\", alarm=\"" + alarm + "\"} == 1"));
  }

  @Test
  void everyExpressionSelectsTheScrapeJob() {
    for (Map<String, Object> r : rules()) {
      String expr = (String) r.get("expr");
      for (String name : PromQl.metricNames(expr)) {
        assertThat(expr).as(r.get("alert") + ": " + name).contains(name + "{job=\"" + JOB + "\"");
      }
    }
    Map<String, Object> dashboard = dashboard();
    for (String expr : PromQl.dashboardExpressions(dashboard)) {
      for (String name : PromQl.metricNames(expr)) {
        assertThat(expr).as(name).contains(name + "{job=\"$job\"");
      }
    }
    Map<String, Object> job = named(at(dashboard, "templating", "list"), "name", "job");
    assertThat(job.get("query")).isEqualTo(JOB);
  }

  @Test
  void everyPanelHasAQueryOnTheDashboardsDataSource() {
    Set<Object> ids = new HashSet<>();
    int panels = 0;
    for (Object p : list(dashboard().get("panels"))) {
      assertThat(ids.add(map(p).get("id"))).as("unique id %s", map(p).get("id")).isTrue();
      if ("row".equals(map(p).get("type"))) {
        continue;
      }
      panels++;
      assertThat(at(p, "datasource", "uid")).isEqualTo("${datasource}");
      assertThat(list(map(p).get("targets"))).as((String) map(p).get("title")).isNotEmpty();
    }
    assertThat(panels).isGreaterThan(20);
  }

  @Test
  void theScrapeConfigurationReachesEveryMembersMetricsPortByItsCertificatesName() {
    Map<String, Object> scrape =
        map(list(DeployFiles.yaml(DeployFiles.SCRAPE_CONFIG).get("scrape_configs")).get(0));
    assertThat(scrape.get("job_name")).isEqualTo(JOB);
    assertThat(scrape.get("metrics_path")).isEqualTo("/metrics");
    assertThat(scrape.get("scheme")).isEqualTo("https");
    Map<String, Object> statefulSet = object("StatefulSet", "aimstore");
    String headless = (String) at(statefulSet, "spec", "serviceName");
    String namespace = (String) at(statefulSet, "metadata", "namespace");
    Object container = list(at(statefulSet, "spec", "template", "spec", "containers")).get(0);
    Object metricsPort = named(at(container, "ports"), "name", "metrics").get("containerPort");
    List<Object> relabel = list(scrape.get("relabel_configs"));
    assertThat(named(relabel, "action", "keep").get("regex")).isEqualTo(headless + ";metrics");
    assertThat(named(relabel, "target_label", "__address__").get("replacement"))
        .isEqualTo("$1." + headless + "." + namespace + ".svc.cluster.local:" + metricsPort);
    assertThat(at(list(scrape.get("kubernetes_sd_configs")).get(0), "namespaces", "names"))
        .isEqualTo(List.of(namespace));
  }
}
