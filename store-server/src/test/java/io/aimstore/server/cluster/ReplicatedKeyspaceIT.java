package io.aimstore.server.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.KV;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A three-member cluster in this JVM: replication, failover, catch-up, restart, snapshots. */
class ReplicatedKeyspaceIT {
  @TempDir Path dir;
  InProcessCluster cluster;

  @BeforeEach
  void start() {
    cluster = new InProcessCluster(dir, 3).start();
    cluster.awaitLeader();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static String value(RangeResponse r) {
    return r.getKvsCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
  }

  private static String serializable(AimStoreClient c, String key) {
    return value(
        await(
            c.kv()
                .get(
                    RangeRequest.newBuilder().setKey(KV.utf8(key)).setSerializable(true).build())));
  }

  @Test
  void writesSurviveLeaderStopAndTheStoppedMemberCatchesUp() {
    AimStoreClient client = cluster.client();
    long rev1 = await(client.kv().put("/aim/fleet-1/config", "v1")).getHeader().getRevision();
    assertThat(value(await(client.kv().get("/aim/fleet-1/config")))).isEqualTo("v1");

    int leader = cluster.awaitLeader();
    cluster.stop(leader);
    long rev2 = await(client.kv().put("/aim/fleet-1/config", "v2")).getHeader().getRevision();
    assertThat(rev2).isEqualTo(rev1 + 1);

    cluster.start(leader);
    AimStoreClient direct = cluster.clientOf(leader);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> assertThat(serializable(direct, "/aim/fleet-1/config")).isEqualTo("v2"));
  }

  @Test
  void followerServesLinearizableReadsOfTheLatestWrite() {
    int leader = cluster.awaitLeader();
    int follower = leader % 3 + 1;
    AimStoreClient viaLeader = cluster.clientOf(leader);
    AimStoreClient viaFollower = cluster.clientOf(follower);
    for (int i = 0; i < 50; i++) {
      await(viaLeader.kv().put("k", "v" + i));
      assertThat(value(await(viaFollower.kv().get("k")))).isEqualTo("v" + i);
    }
  }

  @Test
  void writesThroughAFollowerAreForwardedToTheLeader() {
    int leader = cluster.awaitLeader();
    AimStoreClient viaFollower = cluster.clientOf(leader % 3 + 1);
    await(viaFollower.kv().put("fwd", "1"));
    assertThat(value(await(viaFollower.kv().get("fwd")))).isEqualTo("1");
    assertThat(value(await(cluster.clientOf(leader).kv().get("fwd")))).isEqualTo("1");
  }

  @Test
  void wholeClusterRestartKeepsEveryAcknowledgedWrite() {
    AimStoreClient client = cluster.client();
    Map<String, String> written = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      await(client.kv().put("key-" + (i % 37), "value-" + i));
      written.put("key-" + (i % 37), "value-" + i);
    }
    for (int i = 1; i <= 3; i++) {
      cluster.stop(i);
    }
    for (int i = 1; i <= 3; i++) {
      cluster.start(i);
    }
    cluster.awaitLeader();
    AimStoreClient after = cluster.client();
    written.forEach((k, v) -> assertThat(value(await(after.kv().get(k)))).as(k).isEqualTo(v));
  }

  @Test
  void wipedFollowerIsRebuiltFromASnapshot() throws Exception {
    // Members keep one snapshot interval of log before a snapshot: with a short interval, the
    // entries a wiped member needs are purged and only a snapshot can rebuild it.
    cluster.close();
    cluster =
        new InProcessCluster(
                dir.resolve("short-log"), 3, InProcessCluster.SETTINGS.withSnapshotThreshold(100))
            .start();
    AimStoreClient client = cluster.client();
    for (int i = 0; i < 1000; i++) { // several 16 KiB log segments
      await(client.kv().put("snap-" + i, "v" + i));
    }
    int leader = cluster.awaitLeader();
    int follower = leader % 3 + 1;
    cluster.node(leader).raft().snapshotNow();
    cluster.wipe(follower);
    for (int i = 1000; i < 1020; i++) {
      await(client.kv().put("snap-" + i, "v" + i));
    }
    cluster.start(follower);
    AimStoreClient direct = cluster.clientOf(follower);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(serializable(direct, "snap-0")).isEqualTo("v0");
              assertThat(serializable(direct, "snap-1019")).isEqualTo("v1019");
            });
    assertThat(cluster.node(follower).raft().stateMachine().snapshotsInstalled()).isEqualTo(1);
    String leaderHash = cluster.node(leader).raft().stateMachine().read(s -> s.stateHash());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String followerHash =
                  cluster.node(follower).raft().stateMachine().read(s -> s.stateHash());
              assertThat(followerHash).isEqualTo(leaderHash);
            });
  }
}
