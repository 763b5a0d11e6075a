package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.aimstore.certs.ClusterCertificates;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.client.TlsFiles;
import io.aimstore.ops.Cli.Run;
import io.aimstore.testkit.InProcessCluster;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aimctl against a three-member cluster in this JVM, as a user would type it. */
class AimctlIT {
  @TempDir static Path dir;
  static InProcessCluster cluster;
  static Cli cli;

  @BeforeAll
  static void start() {
    cluster = new InProcessCluster(dir, 3).secure().start();
    cluster.awaitLeader();
    cli = Cli.of(cluster);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static Run aimctl(String... args) {
    return cli.run(args);
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
  void valuesFromAFileOrStandardInput() throws Exception {
    byte[] binary = new byte[300_000];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    Path file = Files.write(dir.resolve("blob.bin"), binary);
    assertThat(aimctl("put", "blob", "--file", file.toString()).code()).isZero();
    JsonObject got = aimctl("get", "blob", "-o", "json").json();
    String b64 =
        got.getAsJsonArray("kvs").get(0).getAsJsonObject().get("value_base64").getAsString();
    assertThat(java.util.Base64.getDecoder().decode(b64)).isEqualTo(binary);

    assertThat(cli.runWithInput("from stdin\n", "put", "text", "--file", "-").code()).isZero();
    assertThat(aimctl("get", "text").out()).contains("from stdin");

    Run both = aimctl("put", "k", "v", "--file", file.toString());
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    Run missing = aimctl("put", "k", "--file", dir.resolve("nope").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).startsWith("aimctl: no such file: ");
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
    assertThat(compacted.code()).isEqualTo(ExitCodes.FAILED);
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
    Run fromStdin = cli.runWithInput("\nput cfg v4\n", "txn"); // no compares
    assertThat(fromStdin.out()).startsWith("SUCCEEDED");
  }

  @Test
  void statusNamesTheClusterAndMembers() {
    Run status = aimctl("status");
    assertThat(status.code()).isEqualTo(ExitCodes.OK);
    assertThat(status.out())
        .startsWith("cluster ")
        .contains("(from --endpoints)")
        .contains("LEADER")
        .contains("FOLLOWER")
        .contains("n1")
        .contains("n3")
        .contains("healthy: 3 of 3 members serve");
    JsonObject json = aimctl("member", "list", "-o", "json").json();
    assertThat(json.getAsJsonArray("members")).hasSize(3);
    assertThat(aimctl("member", "leader").out().strip()).matches("n[123]");
  }

  @Test
  void badInputExitsNonZeroWithTheStoresMessageAndTheOutcome() {
    Run big = aimctl("put", "k", "x".repeat(1024 * 1024 + 1));
    assertThat(big.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(big.err())
        .contains("INVALID_ARGUMENT")
        .contains("limit is 1048576")
        .contains("aimctl: not applied: nothing changed");
    Run reserved = aimctl("put", "/_aimstore/locks/x", "v");
    assertThat(reserved.err()).contains("PERMISSION_DENIED").contains("not applied");
    Run lease = aimctl("put", "k", "v", "--lease", "424242");
    assertThat(lease.err()).contains("NOT_FOUND").contains("lease 424242");
    Run usage = aimctl("put", "k", "v", "--fence", "nolock");
    assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(usage.err()).contains("LOCK=TOKEN");
    Run ttl = aimctl("lease", "grant", "1");
    assertThat(ttl.err()).contains("lease TTL must be between 2 and").contains("got 1");
    assertThat(aimctl("lease", "grant", "100000d").err()).contains("too long");
    assertThat(aimctl("frobnicate").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void unreachableEndpointsAreOneLineSayingWhatHappened() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run refused =
        Cli.raw(
            "",
            "put",
            "k",
            "v",
            "--timeout",
            "1s",
            "--endpoints",
            "127.0.0.1:" + port,
            "--insecure");
    assertThat(refused.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(refused.err().lines())
        .containsExactly(
            "aimctl: UNAVAILABLE: cannot reach 127.0.0.1:"
                + port
                + ": connection refused (gave up after 1.0s)",
            "aimctl: not applied: nothing changed (safe to run again)",
            "hint: no member of 127.0.0.1:"
                + port
                + " (from --endpoints) answered in time; is the cluster up, with a quorum?"
                + " ('aimctl status')");
    Run unknownHost =
        Cli.raw("", "get", "k", "--endpoints", "no-such-host.invalid:7401", "--insecure");
    assertThat(unknownHost.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknownHost.err().lines()).hasSize(1);
    assertThat(unknownHost.millis()).isLessThan(5000);
  }

  @Test
  void adminCommandsAreIdempotent() {
    assertThat(aimctl("fleet", "hold", "fleet-i", "--reason", "storm").out())
        .startsWith("fleet fleet-i is on hold");
    assertThat(aimctl("fleet", "release", "fleet-i").out()).startsWith("fleet fleet-i released");
    Run again = aimctl("fleet", "release", "fleet-i");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("already released");

    long id = Long.parseLong(aimctl("lease", "grant", "10").out().strip());
    assertThat(aimctl("lease", "revoke", Long.toString(id)).out()).contains("revoked");
    Run revokedAgain = aimctl("lease", "revoke", Long.toString(id));
    assertThat(revokedAgain.code()).isZero();
    assertThat(revokedAgain.out()).contains("already gone");

    Run free = aimctl("lock", "release", "never-held", "--force", "--reason", "test");
    assertThat(free.code()).isZero();
    assertThat(free.out()).contains("is not held: nothing to release");
  }

  @Test
  void aLockWaitThatRunsOutNamesTheHolderNotTheCluster() {
    AimStoreClient client = cluster.client();
    try (Session s = client.session(SessionOptions.ttl(Duration.ofSeconds(10)));
        LockHandle held = client.locks().acquire("busy", s, Duration.ZERO)) {
      Run r = aimctl("lock", "run", "busy", "--wait", "1s", "--", "true");
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.LOCK_NOT_ACQUIRED);
      assertThat(r.err()).contains("DEADLINE_EXCEEDED").contains("busy").doesNotContain("hint");
      Run now = aimctl("lock", "run", "busy", "--", "true");
      assertThat(now.code()).as(now.err()).isEqualTo(ExitCodes.LOCK_NOT_ACQUIRED);
      assertThat(now.err()).contains("is held");
    }
  }

  @Test
  void rolesBindingsAndBlocksDecideWhatAnIdentityMayDo() {
    Run me = aimctl("whoami");
    assertThat(me.out())
        .contains("identity: spiffe://aimstore/operator/admin")
        .contains("admin:    yes")
        .contains("operators");

    Run role =
        aimctl(
            "role",
            "put",
            "scratch-writer",
            "--grant",
            "read,write:/scratch/{name}/",
            "--grant",
            "lease",
            "--reason",
            "CI scratch space");
    assertThat(role.code()).as(role.err()).isZero();
    assertThat(role.out())
        .contains("role scratch-writer: read,write:/scratch/{name}/ lease")
        .contains("audit record at revision")
        .contains("by spiffe://aimstore/operator/admin");
    Run bind =
        aimctl(
            "user",
            "bind",
            "ci",
            "spiffe://aimstore/client/{name}",
            "scratch-writer",
            "--reason",
            "CI");
    assertThat(bind.code()).as(bind.err()).isZero();
    assertThat(aimctl("role", "list").out()).contains("scratch-writer").contains("drone");
    assertThat(aimctl("user", "list").out()).contains("spiffe://aimstore/client/{name}");

    Path crt = cluster.certs().client("ci", null, Duration.ofDays(1));
    Path ca = cluster.certs().dir().resolve("ca.crt");
    Cli ci =
        new Cli(cli.endpoints(), Cli.flags(new TlsFiles(ca, crt, ClusterCertificates.keyOf(crt))));
    assertThat(ci.run("whoami").out())
        .contains("identity: spiffe://aimstore/client/ci")
        .contains("admin:    no")
        .contains("read,write:/scratch/ci/");
    assertThat(ci.run("put", "/scratch/ci/x", "1").code()).isZero();
    Run denied = ci.run("put", "/aim/fleet-1/x", "1");
    assertThat(denied.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(denied.err())
        .contains("PERMISSION_DENIED")
        .contains("spiffe://aimstore/client/ci may not write \"/aim/fleet-1/x\"")
        .contains("not applied");
    assertThat(ci.run("role", "list").err()).contains("PERMISSION_DENIED");
    // a caller who may not even see a lock is told what a force-release needs: admin
    assertThat(ci.run("lock", "release", "any-lock", "--force", "--reason", "r").err())
        .contains("spiffe://aimstore/client/ci may not force-release lock any-lock")
        .contains("no role grants admin");

    assertThat(aimctl("user", "block", "spiffe://aimstore/client/ci", "--reason", "lost").code())
        .isZero();
    assertThat(aimctl("user", "list").out()).contains("blocked: spiffe://aimstore/client/ci");
    assertThat(ci.run("get", "/scratch/ci/x").err()).contains("PERMISSION_DENIED");
    aimctl("user", "unblock", "spiffe://aimstore/client/ci", "--reason", "found");
    assertThat(ci.run("get", "/scratch/ci/x").out()).contains("/scratch/ci/x");

    Run inUse = aimctl("role", "delete", "scratch-writer", "--reason", "done");
    assertThat(inUse.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(inUse.err()).contains("FAILED_PRECONDITION").contains("ci");
    assertThat(aimctl("user", "unbind", "ci", "--reason", "done").code()).isZero();
    assertThat(aimctl("role", "delete", "scratch-writer", "--reason", "done").code()).isZero();
    assertThat(aimctl("role", "put", "x", "--grant", "raed:/x/", "--reason", "r").err())
        .contains("'raed' in grant 'raed:/x/' is not a permission");

    assertThat(aimctl("audit").out())
        .contains("role-put")
        .contains("binding-put")
        .contains("identity-block")
        .contains("role-delete");
  }
}
