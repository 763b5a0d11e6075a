package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.CorruptionCheckResult;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.ops.Aimctl.CommandFailure;
import io.aimstore.ops.ClusterTarget;
import io.aimstore.ops.ExitCodes;
import io.aimstore.ops.health.ClusterHealth;
import io.aimstore.ops.health.ClusterProbe;
import io.aimstore.ops.health.MemberProbe;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    description = {
      "Show the cluster's health and every member: role, term, revision, applied index, size,"
          + " and the log-entry format version it can apply (FORMAT); the cluster version is the"
          + " format version the leader writes in, the lowest its configuration's members apply.",
      "Members are asked directly and in parallel; one that has not answered --member-timeout"
          + " after the first answer is reported as not answering, so the verdict comes within"
          + " about two seconds whatever minority is down or hung. Names the cluster (its id) and"
          + " where its endpoints came from; one line says why each unhealthy member is, and one"
          + " line names each active alarm (NOSPACE, CORRUPT: 'aimctl alarm list'; alarms do not"
          + " change the exit code)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:healthy: every member answers and follows one leader",
      "3:degraded: a quorum serves, but some member does not (down, no leader, lagging)",
      "4:no quorum: no leader a majority follows; writes and linearizable reads fail",
      "2:wrong command line or endpoints"
    })
public final class StatusCommand extends CommandBase {
  /** When no member answers at all, how long to wait before saying so. */
  private static final Duration NO_ANSWER = Duration.ofSeconds(3);

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      description =
          "First wait up to DURATION until the cluster serves a linearizable read and a majority"
              + " follows its leader.")
  Duration wait;

  @Option(
      names = "--member-timeout",
      paramLabel = "DURATION",
      defaultValue = "1s",
      description =
          "How long a member may take to answer after the first one did."
              + " Default: ${DEFAULT-VALUE}.")
  Duration memberTimeout;

  @Override
  public Integer call() throws InterruptedException {
    ClusterTarget target = target();
    target.checkResolvable();
    long deadline = System.nanoTime() + (wait == null ? 0 : wait.toNanos());
    if (wait != null) {
      awaitServing(client(), wait, err());
    }
    ClusterProbe probe = new ClusterProbe(memberTimeout, NO_ANSWER, target.tls().orElse(null));
    ClusterHealth health = probe.probe(target.endpoints());
    // Just after an election the followers may not know the leader yet: --wait waits for that too.
    while (health.verdict() == ClusterHealth.Verdict.NO_QUORUM && System.nanoTime() < deadline) {
      Thread.sleep(250);
      health = probe.probe(target.endpoints());
    }
    String clusterId =
        health.members().stream()
            .filter(MemberProbe::answered)
            .map(p -> Json.hexId(p.status().getHeader().getClusterId()))
            .findFirst()
            .orElse("unknown");
    if (json()) {
      print(json(health, clusterId, target));
      return health.verdict().exitCode();
    }
    out().println("cluster " + clusterId + " at " + target.describe());
    Table t =
        new Table(
            "MEMBER",
            "CLIENT",
            "ROLE",
            "LEADER",
            "TERM",
            "REVISION",
            "APPLIED",
            "COMMIT",
            "DB SIZE",
            "VERSION",
            "FORMAT");
    for (MemberProbe p : health.members()) {
      if (!p.answered()) {
        t.row(p.name(), p.endpoint(), "UNREACHABLE", "-", "-", "-", "-", "-", "-", "-", "-");
        continue;
      }
      StatusResponse s = p.status();
      t.row(
          p.name(),
          p.endpoint(),
          s.getRole(),
          s.getLeaderName().isEmpty() ? "-" : s.getLeaderName(),
          s.getRaftTerm(),
          s.getHeader().getRevision(),
          s.getRaftAppliedIndex(),
          s.getRaftCommitIndex(),
          Text.size(s.getDbSize()),
          s.getVersion(),
          s.getMaxFormatVersion());
    }
    print(t);
    int clusterVersion = clusterVersion(health);
    out()
        .println(
            "cluster version "
                + (clusterVersion == 0 ? "unknown (no leader answered)" : clusterVersion)
                + ": the log-entry format the leader writes (FORMAT: the highest a member applies)");
    out().println(health.summary());
    List<Alarm> alarms = alarms(health);
    if (alarms.isEmpty()) {
      out().println("alarms: none");
    }
    for (Alarm a : alarms) {
      out().println("ALARM " + AlarmCommand.line(a) + "; see 'aimctl alarm list'");
    }
    for (Map.Entry<String, String> problem : health.problems().entrySet()) {
      MemberProbe p =
          health.members().stream()
              .filter(m -> m.name().equals(problem.getKey()))
              .findFirst()
              .orElseThrow();
      out().println("  " + p.name() + " (" + p.endpoint() + "): " + problem.getValue());
    }
    corruption(health).ifPresent(out()::println);
    return health.verdict().exitCode();
  }

  /**
   * A line when the latest keyspace hash check (run by a leader, reported in its status) found
   * members that differ.
   */
  static java.util.Optional<String> corruption(ClusterHealth health) {
    return health.members().stream()
        .filter(p -> p.answered() && p.status().hasCorruptionCheck())
        .max(
            java.util.Comparator.comparingLong(
                p -> p.status().getCorruptionCheck().getCheckedAtMs()))
        .filter(p -> p.status().getCorruptionCheck().getMismatchedCount() > 0)
        .map(
            p -> {
              CorruptionCheckResult c = p.status().getCorruptionCheck();
              return "CORRUPT: at revision "
                  + c.getRevision()
                  + " the keyspace hash of "
                  + String.join(", ", c.getMismatchedList())
                  + " differs from "
                  + p.name()
                  + "'s (checked "
                  + java.time.Instant.ofEpochMilli(c.getCheckedAtMs())
                  + "); compare with 'aimctl check hash', rebuild the odd one out"
                  + " (docs/operations.md, 'Corruption')";
            });
  }

  private static JsonObject json(ClusterHealth health, String clusterId, ClusterTarget target) {
    JsonObject o = new JsonObject();
    o.addProperty("cluster_id", clusterId);
    JsonArray eps = new JsonArray();
    target.endpoints().forEach(eps::add);
    o.add("endpoints", eps);
    o.addProperty("endpoints_from", target.source());
    o.addProperty("health", health.verdict().name().toLowerCase(java.util.Locale.ROOT));
    o.addProperty("summary", health.summary());
    o.addProperty("leader_name", health.leader().orElse(""));
    o.addProperty("cluster_version", clusterVersion(health));
    o.add("alarms", Json.protos(alarms(health)));
    JsonArray members = new JsonArray();
    for (MemberProbe p : health.members()) {
      JsonObject m = new JsonObject();
      m.addProperty("name", p.name());
      m.addProperty("client_address", p.endpoint());
      String problem = health.problems().get(p.name());
      m.addProperty("healthy", problem == null);
      if (problem != null) {
        m.addProperty("problem", problem);
      }
      if (p.answered()) {
        JsonObject s = Json.proto(p.status().toBuilder().clearMembers());
        s.entrySet().forEach(e -> m.add(e.getKey(), e.getValue()));
      }
      members.add(m);
    }
    o.add("members", members);
    return o;
  }

  /** The format version the leader writes in, from its own answer; 0 when no leader answered. */
  private static int clusterVersion(ClusterHealth health) {
    return health.members().stream()
        .filter(p -> p.answered() && p.status().getClusterVersion() > 0)
        .mapToInt(p -> p.status().getClusterVersion())
        .findFirst()
        .orElse(0);
  }

  /**
   * The cluster's active alarms, as the member that has applied the most reports them (alarms are
   * replicated: members differ only in how far they have applied).
   */
  private static List<Alarm> alarms(ClusterHealth health) {
    return health.members().stream()
        .filter(MemberProbe::answered)
        .map(MemberProbe::status)
        .max(java.util.Comparator.comparingLong(StatusResponse::getRaftAppliedIndex))
        .map(StatusResponse::getAlarmsList)
        .orElse(List.of());
  }

  /** Polls until a linearizable read succeeds, printing progress; fails after {@code wait}. */
  static void awaitServing(AimStoreClient client, Duration wait, PrintStream err)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    long start = System.nanoTime();
    String last = "";
    while (true) {
      try {
        AimStoreClient.await(client.kv().get("/_aimstore/ping"));
        return;
      } catch (AimStoreException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new CommandFailure(
            "the cluster did not serve within " + Durations.format(wait) + "; last error: " + last,
            ExitCodes.NO_QUORUM);
      }
      err.printf("\rwaiting for a leader... %ds", (System.nanoTime() - start) / 1_000_000_000);
      Thread.sleep(250);
    }
  }
}
