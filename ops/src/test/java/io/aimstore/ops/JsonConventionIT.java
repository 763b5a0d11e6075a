package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.DroneAgent;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.ops.Cli.Run;
import io.aimstore.testkit.InProcessCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's {@code -o json} follows the one convention of docs/operations.md: snake_case
 * field names, integers as numbers (never digit strings), times as epoch milliseconds in {@code
 * *_at_ms} fields, 64-bit name-derived ids as 16 hex digits. The test fails when a command is added
 * without being covered here.
 */
class JsonConventionIT {
  /** Commands that print no JSON of their own. */
  private static final Set<String> NO_JSON = Set.of("help", "completion", "lock run");

  /** Fields whose keys and values are data (labels, config parameters, per-drone maps). */
  private static final Set<String> DATA_MAPS =
      Set.of("labels", "parameters", "previous_versions", "previous_configs");

  private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final Pattern DIGITS = Pattern.compile("-?\\d+");
  private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{16}");
  private static final Set<String> HEX_FIELDS = Set.of("cluster_id", "member_id");

  @TempDir static Path dir;
  static InProcessCluster cluster;
  static AimStoreClient client;
  static Cli cli;

  @BeforeAll
  static void start() {
    cluster = new InProcessCluster(dir, 3).secure().start();
    cluster.awaitLeader();
    client = cluster.client();
    cli = Cli.of(cluster);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void everyCommandsJsonFollowsTheConvention() throws Exception {
    Map<String, List<JsonElement>> outputs = new LinkedHashMap<>();
    String aim = Path.of("..", "docs", "examples", "aim.json").toString();

    long rev = json(outputs, "put", "put", "/j/a", "va", "-o", "json").get("revision").getAsLong();
    json(outputs, "put", "put", "/j/b", "vb", "-o", "json");
    json(outputs, "get", "get", "/j/", "--prefix", "-o", "json");
    json(outputs, "del", "del", "/j/b", "-o", "json");
    outputs
        .computeIfAbsent("txn", k -> new ArrayList<>())
        .add(ok(cli.runWithInput("\nput /j/c vc\n", "txn", "-o", "json")).jsonElement());
    json(outputs, "compact", "compact", Long.toString(rev), "-o", "json");
    String snap = dir.resolve("j.snap").toString();
    json(outputs, "snapshot save", "snapshot", "save", snap, "-o", "json");
    json(outputs, "snapshot status", "snapshot", "status", snap, "-o", "json");
    // an alarm to show (CORRUPT only shows: it refuses nothing, so the rest of the test goes on)
    cluster
        .node(cluster.awaitLeader())
        .alarms()
        .raise(AlarmType.CORRUPT, "n2", "json convention test")
        .get(10, TimeUnit.SECONDS);
    json(outputs, "alarm list", "alarm", "list", "-o", "json");
    json(outputs, "status", "status", "-o", "json");
    json(outputs, "check hash", "check", "hash", "-o", "json");
    json(
        outputs,
        "alarm disarm",
        "alarm",
        "disarm",
        "--alarm",
        "CORRUPT",
        "--reason",
        "test",
        "-o",
        "json");
    json(outputs, "member list", "member", "list", "-o", "json");
    json(outputs, "member leader", "member", "leader", "-o", "json");
    int n4 = cluster.startJoiningMember();
    String address =
        "127.0.0.1:"
            + cluster.raftAddress(n4).split(":")[1]
            + ":"
            + cluster.endpoint(n4).split(":")[1];
    json(
        outputs,
        "member add",
        "member",
        "add",
        "n" + n4,
        address,
        "--manual-promote",
        "--reason",
        "test",
        "--wait",
        "30s",
        "-o",
        "json");
    json(
        outputs, "member promote", "member", "promote", "n" + n4, "--reason", "test", "-o", "json");
    String other = cli.run("member", "leader").out().strip().equals("n1") ? "n2" : "n1";
    json(
        outputs,
        "member transfer-leader",
        "member",
        "transfer-leader",
        other,
        "--reason",
        "test",
        "-o",
        "json");
    json(outputs, "member remove", "member", "remove", "n" + n4, "--reason", "test", "-o", "json");

    long lease =
        json(outputs, "lease grant", "lease", "grant", "30", "-o", "json").get("id").getAsLong();
    json(outputs, "lease list", "lease", "list", "-o", "json");
    json(outputs, "lease show", "lease", "show", Long.toString(lease), "-o", "json");
    Streaming keepalive = Streaming.start("lease", "keepalive", Long.toString(lease), "-o", "json");
    outputs.put("lease keepalive", keepalive.firstLines(1));
    json(outputs, "lease revoke", "lease", "revoke", Long.toString(lease), "-o", "json");
    keepalive.close();

    Streaming watch = Streaming.start("watch", "/w/", "--prefix", "--prev-kv", "-o", "json");
    Thread.sleep(500);
    cli.run("put", "/w/x", "one");
    cli.run("put", "/w/x", "two");
    outputs.put("watch", watch.firstLines(2));
    watch.close();

    try (Session s = client.session(SessionOptions.ttl(Duration.ofSeconds(10)));
        LockHandle h = client.locks().acquire("jl", s, Duration.ZERO)) {
      json(outputs, "lock list", "lock", "list", "-o", "json");
      json(outputs, "lock show", "lock", "show", "jl", "-o", "json");
      json(
          outputs,
          "lock release",
          "lock",
          "release",
          "jl",
          "--force",
          "--reason",
          "test",
          "--quarantine",
          "1m",
          "-o",
          "json");
    }
    json(
        outputs,
        "lock unquarantine",
        "lock",
        "unquarantine",
        "jl",
        "--reason",
        "test",
        "-o",
        "json");
    json(outputs, "whoami", "whoami", "-o", "json");
    json(
        outputs,
        "role put",
        "role",
        "put",
        "jr",
        "--grant",
        "read:/j/",
        "--reason",
        "test",
        "-o",
        "json");
    json(outputs, "role list", "role", "list", "-o", "json");
    json(
        outputs,
        "user bind",
        "user",
        "bind",
        "jb",
        "spiffe://aimstore/client/j",
        "jr",
        "--reason",
        "test",
        "-o",
        "json");
    json(outputs, "user list", "user", "list", "-o", "json");
    json(outputs, "user unbind", "user", "unbind", "jb", "--reason", "test", "-o", "json");
    json(outputs, "role delete", "role", "delete", "jr", "--reason", "test", "-o", "json");
    String someone = "spiffe://aimstore/client/someone";
    json(outputs, "user block", "user", "block", someone, "--reason", "test", "-o", "json");
    json(outputs, "user unblock", "user", "unblock", someone, "--reason", "test", "-o", "json");
    json(outputs, "audit", "audit", "-o", "json");

    json(outputs, "config put", "config", "put", "jf", "aim", "--file", aim, "-o", "json");
    json(outputs, "config get", "config", "get", "jf", "aim", "-o", "json");
    json(outputs, "config validate", "config", "validate", "--file", aim, "-o", "json");
    json(outputs, "config history", "config", "history", "jf", "aim", "-o", "json");

    try (DroneAgent d1 = DroneAgent.start(client, "jf", "d1", Duration.ofSeconds(10), t -> {});
        DroneAgent d2 = DroneAgent.start(client, "jf", "d2", Duration.ofSeconds(10), t -> {})) {
      long v =
          json(
                  outputs,
                  "rollout start",
                  "rollout",
                  "start",
                  "jf",
                  "aim",
                  "--canary",
                  "d1",
                  "-o",
                  "json")
              .get("version")
              .getAsLong();
      json(outputs, "rollout status", "rollout", "status", "jf", "-o", "json");
      json(outputs, "rollout pause", "rollout", "pause", "jf", "-o", "json");
      json(outputs, "rollout resume", "rollout", "resume", "jf", "-o", "json");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (AimStoreClient.await(client.fleet().fleetStatus("jf")).getDronesList().stream()
              .noneMatch(d -> d.getDrone().equals("d1") && d.getAppliedVersion() == v)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      json(outputs, "rollout promote", "rollout", "promote", "jf", "-o", "json");
      json(outputs, "fleet status", "fleet", "status", "jf", "-o", "json");
      json(outputs, "rollout rollback", "rollout", "rollback", "jf", "-o", "json");
      json(outputs, "fleet hold", "fleet", "hold", "jf", "--reason", "storm", "-o", "json");
      json(outputs, "fleet release", "fleet", "release", "jf", "-o", "json");
    }

    Set<String> leaves = new TreeSet<>();
    for (List<String> p : HelpTreeTest.paths()) {
      String name = String.join(" ", p);
      boolean hasChildren =
          HelpTreeTest.paths().stream()
              .anyMatch(q -> q.size() > p.size() && q.subList(0, p.size()).equals(p));
      if (!p.isEmpty() && !hasChildren && !NO_JSON.contains(name)) {
        leaves.add(name);
      }
    }
    assertThat(outputs.keySet()).as("commands whose -o json this test checks").containsAll(leaves);
    for (Map.Entry<String, List<JsonElement>> e : outputs.entrySet()) {
      assertThat(e.getValue()).as(e.getKey()).isNotEmpty();
      for (JsonElement doc : e.getValue()) {
        List<String> problems = new ArrayList<>();
        check(doc, "", problems);
        assertThat(problems).as("aimctl %s -o json: %s", e.getKey(), doc).isEmpty();
      }
    }
  }

  @Test
  void theCheckCatchesEachBreach() {
    List<String> problems = new ArrayList<>();
    check(
        JsonParser.parseString(
            "{\"leaseId\": 1, \"count\": \"5\", \"granted_at_ms\": 5, \"cluster_id\": 7,"
                + " \"labels\": {\"Any-Key\": \"12\"}}"),
        "",
        problems);
    assertThat(problems).hasSize(4);
  }

  private static Run ok(Run r) {
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  private static JsonObject json(
      Map<String, List<JsonElement>> outputs, String command, String... args) {
    Run r = ok(cli.run(args));
    JsonElement e = JsonParser.parseString(r.out());
    outputs.computeIfAbsent(command, k -> new ArrayList<>()).add(e);
    return e.getAsJsonObject();
  }

  /** Collects every way {@code e} breaks the convention. */
  static void check(JsonElement e, String field, List<String> problems) {
    if (e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
        String name = f.getKey();
        if (!SNAKE.matcher(name).matches()) {
          problems.add("field '" + name + "' is not snake_case");
        }
        if (DATA_MAPS.contains(name)) {
          continue;
        }
        check(f.getValue(), name, problems);
      }
    } else if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(x -> check(x, field, problems));
    } else if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      if (HEX_FIELDS.contains(field) || field.equals("leader")) {
        if (!(p.isString() && HEX_ID.matcher(p.getAsString()).matches())) {
          problems.add(field + " = " + p + " is not 16 hex digits");
        }
        return;
      }
      if (p.isString() && DIGITS.matcher(p.getAsString()).matches()) {
        problems.add(field + " = " + p + ": an integer as a string");
      }
      if (field.endsWith("_ms") && !p.isNumber()) {
        problems.add(field + " = " + p + " is not a number of milliseconds");
      }
      if ((field.endsWith("_at_ms") || field.equals("since_ms")) && p.isNumber()) {
        long ms = p.getAsLong();
        if (ms != 0 && (ms < 1_000_000_000_000L || ms > 10_000_000_000_000L)) {
          problems.add(field + " = " + ms + " is not epoch milliseconds");
        }
      }
    }
  }

  /** A command that prints until stopped, run on its own thread. */
  static final class Streaming implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Aimctl aimctl;
    private final Thread thread;

    private Streaming(String... args) {
      List<String> all = new ArrayList<>(List.of("--endpoints", cli.endpoints()));
      all.addAll(cli.tlsFlags());
      all.addAll(List.of(args));
      aimctl =
          new Aimctl(
              Map.of(),
              new ByteArrayInputStream(new byte[0]),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      thread = new Thread(() -> aimctl.run(all.toArray(String[]::new)), "streaming-aimctl");
      thread.setDaemon(true);
      thread.start();
    }

    static Streaming start(String... args) {
      return new Streaming(args);
    }

    /** The first {@code n} lines, each a JSON document, waiting up to 20 s for them. */
    List<JsonElement> firstLines(int n) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        List<String> lines;
        synchronized (out) {
          lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        }
        if (lines.size() >= n) {
          return lines.subList(0, n).stream().map(JsonParser::parseString).toList();
        }
        Thread.sleep(50);
      }
      throw new AssertionError("fewer than " + n + " lines: " + out);
    }

    @Override
    public void close() {
      aimctl.close(); // the thread is a daemon: a watch left running ends with the JVM
    }
  }
}
