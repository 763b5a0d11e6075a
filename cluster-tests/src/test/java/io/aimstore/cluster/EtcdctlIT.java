package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.LockInfo;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.client.AimStoreClient;
import io.aimstore.testkit.InProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's etcdctl (3.4), a client no one here wrote, against the etcd API of a three-member secure
 * cluster in this JVM, over mutual TLS with the operator's certificate (etcdctl's --cacert, --cert,
 * --key); what it does is checked through aimstore's own API too.
 */
class EtcdctlIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dir;
  static InProcessCluster cluster;
  static AimStoreClient client;
  static Etcdctl etcdctl;

  @BeforeAll
  static void start() throws Exception {
    cluster = new InProcessCluster(dir, 3).secure().start();
    cluster.awaitLeader();
    client = cluster.client();
    String endpoints =
        IntStream.rangeClosed(1, 3).mapToObj(cluster::endpoint).collect(Collectors.joining(","));
    etcdctl = Etcdctl.forEndpoints(endpoints, cluster.tls());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void putAndGetByPrefixAndRevisionAgreeWithAimstore() throws Exception {
    assertThat(etcdctl.run("put", "/aim/fleet-1/x", "1").ok().out()).isEqualTo("OK\n");
    long first = await(client.kv().get("/aim/fleet-1/x")).getKvs(0).getModRevision();
    etcdctl.run("put", "/aim/fleet-1/x", "2").ok();
    await(client.kv().put("/aim/fleet-1/y", "from-aimstore"));

    assertThat(etcdctl.run("get", "/aim/fleet-1/", "--prefix").ok().lines())
        .containsExactly("/aim/fleet-1/x", "2", "/aim/fleet-1/y", "from-aimstore");
    assertThat(etcdctl.run("get", "/aim/fleet-1/x", "--rev=" + first).ok().lines())
        .containsExactly("/aim/fleet-1/x", "1");
    assertThat(
            etcdctl
                .run("get", "/aim/fleet-1/", "--prefix", "--keys-only", "--order=DESCEND")
                .ok()
                .out())
        .startsWith("/aim/fleet-1/y\n");
    long current = await(client.kv().get("/aim/fleet-1/y")).getHeader().getRevision();
    assertThat(etcdctl.run("get", "/aim/fleet-1/x", "-w", "json").ok().out())
        .contains("\"create_revision\":" + first)
        .contains("\"mod_revision\":" + (first + 1))
        .contains("\"version\":2")
        .contains("\"revision\":" + current);
  }

  @Test
  void deleteByPrefixAndReadingACompactedRevisionFailWithEtcdsText() throws Exception {
    etcdctl.run("put", "del/a", "1").ok();
    etcdctl.run("put", "del/b", "2").ok();
    long before = await(client.kv().get("del/a")).getKvs(0).getModRevision();
    assertThat(etcdctl.run("del", "del/", "--prefix").ok().out()).isEqualTo("2\n");
    assertThat(await(client.kv().getPrefix("del/")).getKvsCount()).isZero();

    long now = await(client.kv().get("del/a")).getHeader().getRevision();
    etcdctl.run("compact", Long.toString(now)).ok();
    Etcdctl.Result old = etcdctl.run("get", "del/a", "--rev=" + before);
    assertThat(old.exitCode()).isNotZero();
    assertThat(old.err()).contains("etcdserver: mvcc: required revision has been compacted");
  }

  @Test
  void txnTakesTheBranchItsComparesChoose() throws Exception {
    etcdctl.run("put", "txn/k", "v1").ok();
    String swap = "value(\"txn/k\") = \"v1\"\n\nput txn/k v2\n\nput txn/lost yes\n\n";
    assertThat(etcdctl.runWithInput(swap, "txn").ok().lines()).containsExactly("SUCCESS", "", "OK");
    assertThat(await(client.kv().get("txn/k")).getKvs(0).getValue().toStringUtf8()).isEqualTo("v2");
    assertThat(etcdctl.runWithInput(swap, "txn").ok().lines()).containsExactly("FAILURE", "", "OK");
    assertThat(await(client.kv().get("txn/lost")).getKvs(0).getValue().toStringUtf8())
        .isEqualTo("yes");
  }

  @Test
  void watchSeesWritesMadeThroughAimstoreAndReplaysFromARevision() throws Exception {
    Process live = etcdctl.start("watch", "w/", "--prefix");
    try {
      ProcessLines lines = new ProcessLines(live);
      // the watch is registered asynchronously: write until it reports a write
      long first = 0;
      for (int i = 0; i < 50 && first == 0; i++) {
        long rev = await(client.kv().put("w/ping", "p")).getHeader().getRevision();
        if (lines.awaitLine("w/ping", Duration.ofMillis(300))) {
          first = rev;
        }
      }
      assertThat(first).as("etcdctl watch saw a put").isPositive();
      await(client.kv().put("w/x", "from-aimstore"));
      await(client.kv().delete("w/x"));
      assertThat(lines.awaitLine("from-aimstore", WAIT)).isTrue();
      assertThat(lines.awaitLine("DELETE", WAIT)).isTrue();
      assertThat(lines.next(WAIT)).isEqualTo("w/x");

      Process replay = etcdctl.start("watch", "w/x", "--rev=" + first);
      try {
        ProcessLines history = new ProcessLines(replay);
        assertThat(List.of(history.next(WAIT), history.next(WAIT), history.next(WAIT)))
            .containsExactly("PUT", "w/x", "from-aimstore");
        assertThat(List.of(history.next(WAIT), history.next(WAIT)))
            .containsExactly("DELETE", "w/x");
      } finally {
        replay.destroy();
      }
    } finally {
      live.destroy();
    }
  }

  @Test
  void leaseGrantKeepAliveTimeToLiveAndRevoke() throws Exception {
    String granted = etcdctl.run("lease", "grant", "5").ok().out();
    assertThat(granted).matches("lease [0-9a-f]+ granted with TTL\\(5s\\)\n");
    String hex = granted.split(" ")[1];
    long id = Long.parseUnsignedLong(hex, 16);
    etcdctl.run("put", "--lease=" + hex, "lease/k", "v").ok();

    assertThat(etcdctl.run("lease", "keep-alive", "--once", hex).ok().out())
        .isEqualTo("lease " + hex + " keepalived with TTL(5)\n");
    assertThat(etcdctl.run("lease", "timetolive", "--keys", hex).ok().out())
        .contains("granted with TTL(5s)")
        .contains("attached keys([lease/k])");
    var owner = await(client.leases().timeToLive(id, false)).getLease().getOwner();
    assertThat(owner.getName()).isEqualTo("etcd-client");
    assertThat(owner.getLabelsMap()).containsEntry("api", "etcd-v3").containsKey("peer");
    assertThat(etcdctl.run("lease", "list").ok().out()).contains(hex);

    assertThat(etcdctl.run("lease", "revoke", hex).ok().out()).contains("revoked");
    assertThat(await(client.kv().get("lease/k")).getKvsCount()).isZero();
    assertThat(etcdctl.run("lease", "timetolive", hex).ok().out()).contains("already expired");
    Etcdctl.Result again = etcdctl.run("lease", "revoke", hex);
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("etcdserver: requested lease not found");
  }

  @Test
  void lockRunsItsCommandWhileAimstoreNamesTheHolderAndTheTokenFences() throws Exception {
    // etcdctl gives its command no stdin: the holder waits for a file instead
    Path release = dir.resolve("release-it-lock");
    Process holder =
        etcdctl.start(
            "lock",
            "it/lock",
            "--",
            "sh",
            "-c",
            "echo held $ETCD_LOCK_KEY $ETCD_LOCK_REV; while [ ! -f "
                + release
                + " ]; do sleep 0.05; done; echo released");
    ProcessLines held = new ProcessLines(holder);
    String line = held.next(WAIT);
    assertThat(line).startsWith("held it/lock/");
    long token = Long.parseLong(line.split(" ")[2]);

    LockInfo info = await(client.locks().inspect("it/lock")).getLock();
    assertThat(info.getHolder().getToken()).isEqualTo(token);
    assertThat(info.getHolder().getOwner().getName()).isEqualTo("etcd-client");
    assertThat(info.getHolder().getKey().toStringUtf8()).isEqualTo(line.split(" ")[1]);
    PutRequest fenced =
        PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("it/guarded"))
            .setValue(ByteString.copyFromUtf8("by etcdctl's lock"))
            .setFence(Fence.newBuilder().setLock("it/lock").setToken(token))
            .build();
    await(client.kv().put(fenced));

    Process second = etcdctl.start("lock", "it/lock", "--", "echo", "second holds");
    ProcessLines secondLines = new ProcessLines(second);
    assertThat(secondLines.next(Duration.ofSeconds(1))).as("waits for the holder").isNull();
    java.nio.file.Files.createFile(release);
    assertThat(held.next(WAIT)).isEqualTo("released");
    assertThat(secondLines.next(WAIT)).isEqualTo("second holds");
    assertThat(second.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    // the first holder's token no longer fences anything
    assertThat(
            client
                .kv()
                .put(fenced)
                .handle((r, e) -> e == null ? "written" : e.getCause().getMessage())
                .get())
        .contains("stale fencing token " + token);
  }

  @Test
  void electPostsTheLeaderToObserversAndAimstoreNamesIt() throws Exception {
    Process observer = etcdctl.start("elect", "-l", "it-election");
    Process leader = etcdctl.start("elect", "it-election", "proposal-1");
    try {
      ProcessLines observed = new ProcessLines(observer);
      ProcessLines led = new ProcessLines(leader);
      String key = led.next(WAIT);
      assertThat(key).startsWith("it-election/");
      assertThat(led.next(WAIT)).isEqualTo("proposal-1");
      assertThat(observed.awaitLine(key, WAIT)).isTrue();
      assertThat(observed.next(WAIT)).isEqualTo("proposal-1");
      LockInfo info = await(client.locks().inspect("it-election")).getLock();
      assertThat(info.getHolder().getKey().toStringUtf8()).isEqualTo(key);
    } finally {
      leader.destroy();
      observer.destroy();
    }
  }

  @Test
  void memberListAndEndpointStatusDescribeTheCluster() throws Exception {
    List<String> members = etcdctl.run("member", "list").ok().lines();
    assertThat(members).hasSize(3);
    for (int i = 1; i <= 3; i++) {
      String name = "n" + i;
      assertThat(members)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains(", started, " + name + ", https://")
                      .contains(
                          "https://" + cluster.endpoint(Integer.parseInt(name.substring(1)))));
    }
    List<String> status = etcdctl.run("endpoint", "status").ok().lines();
    assertThat(status).hasSize(3).allSatisfy(s -> assertThat(s).contains("3.4.0+aimstore"));
    assertThat(status).filteredOn(s -> s.contains(", true, false, ")).hasSize(1);
    assertThat(etcdctl.run("endpoint", "health").ok().err()).contains("is healthy");
  }
}
