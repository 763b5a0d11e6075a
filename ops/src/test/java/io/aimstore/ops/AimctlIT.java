package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.aimstore.testkit.InProcessCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aimctl against a three-member cluster in this JVM, as a user would type it. */
class AimctlIT {
  @TempDir static Path dir;
  static InProcessCluster cluster;
  static String endpoints;

  @BeforeAll
  static void start() {
    cluster = new InProcessCluster(dir, 3).start();
    endpoints = String.join(",", cluster.endpoints());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  record Run(int code, String out, String err) {
    JsonObject json() {
      return JsonParser.parseString(out).getAsJsonObject();
    }
  }

  static Run aimctl(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoints");
    all.add(endpoints);
    try (Aimctl a =
        new Aimctl(
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))) {
      int code = a.run(all.toArray(String[]::new));
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void putGetDeleteAsTableAndJson() {
    assertThat(aimctl("put", "/aim/fleet-1/aim_lock_config.conf", "v1").out())
        .startsWith("OK (revision");
    Run get = aimctl("get", "/aim/fleet-1/aim_lock_config.conf");
    assertThat(get.code()).isZero();
    assertThat(get.out())
        .contains("KEY")
        .contains("/aim/fleet-1/aim_lock_config.conf")
        .contains("v1");

    aimctl("put", "/aim/fleet-1/other", "x");
    JsonObject json = aimctl("get", "/aim/fleet-1/", "--prefix", "-o", "json").json();
    assertThat(json.get("count").getAsLong()).isEqualTo(2);
    assertThat(json.getAsJsonArray("kvs").get(0).getAsJsonObject().get("value").getAsString())
        .isEqualTo("v1");

    assertThat(aimctl("del", "/aim/fleet-1/other").out()).startsWith("1 deleted");
    assertThat(aimctl("get", "/aim/fleet-1/other", "-o", "json").json().get("count").getAsLong())
        .isZero();
  }

  @Test
  void readsAtAPastRevisionAndCompaction() {
    long r1 = aimctl("put", "hist", "a", "-o", "json").json().get("revision").getAsLong();
    aimctl("put", "hist", "b");
    JsonObject past = aimctl("get", "hist", "--rev", Long.toString(r1), "-o", "json").json();
    assertThat(past.getAsJsonArray("kvs").get(0).getAsJsonObject().get("value").getAsString())
        .isEqualTo("a");
    assertThat(aimctl("compact", Long.toString(r1 + 1)).code()).isZero();
    Run compacted = aimctl("get", "hist", "--rev", Long.toString(r1));
    assertThat(compacted.code()).isEqualTo(1);
    assertThat(compacted.err()).contains("OUT_OF_RANGE").contains("compacted");
  }

  @Test
  void txnFromTextAndJson() throws Exception {
    aimctl("put", "cfg", "v1");
    Path text = dir.resolve("txn.txt");
    Files.writeString(text, "value(\"cfg\") = \"v1\"\n\nput cfg v2\n\nget cfg\n");
    Run ok = aimctl("txn", "--file", text.toString());
    assertThat(ok.out()).startsWith("SUCCEEDED");
    Run again = aimctl("txn", "--file", text.toString());
    assertThat(again.out()).startsWith("FAILED").contains("get: cfg = v2");

    Path json = dir.resolve("txn.json");
    Files.writeString(
        json,
        "{\"compare\":[{\"key\":\"cfg\",\"target\":\"version\",\"result\":\">\",\"value\":\"1\"}],"
            + "\"success\":[{\"put\":{\"key\":\"cfg\",\"value\":\"v3\"}}]}");
    assertThat(
            aimctl("txn", "-f", json.toString(), "-o", "json")
                .json()
                .get("succeeded")
                .getAsBoolean())
        .isTrue();
  }

  @Test
  void statusAndMembers() {
    Run status = aimctl("status");
    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("LEADER").contains("FOLLOWER").contains("n1").contains("n3");
    JsonObject json = aimctl("member", "list", "-o", "json").json();
    assertThat(json.getAsJsonArray("members")).hasSize(3);
    assertThat(aimctl("member", "leader").out().strip()).matches("n[123]");
  }

  @Test
  void badInputExitsNonZeroWithTheStoresMessage() {
    Run big = aimctl("put", "k", "x".repeat(1024 * 1024 + 1));
    assertThat(big.code()).isEqualTo(1);
    assertThat(big.err()).contains("INVALID_ARGUMENT").contains("limit is 1048576");
    Run reserved = aimctl("put", "/_aimstore/locks/x", "v");
    assertThat(reserved.err()).contains("PERMISSION_DENIED");
    Run lease = aimctl("put", "k", "v", "--lease", "424242");
    assertThat(lease.err()).contains("NOT_FOUND").contains("lease 424242");
    Run usage = aimctl("put", "k", "v", "--fence", "nolock");
    assertThat(usage.code()).isEqualTo(1);
    assertThat(usage.err()).contains("LOCK=TOKEN");
    assertThat(aimctl("frobnicate").code()).isEqualTo(2);
  }
}
