package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimstore.client.AimStoreClient;
import io.aimstore.testkit.InProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The replicated-keyspace scenarios on a three-member cluster in this JVM, and one that needs the
 * members' internals: a wiped follower rebuilt from a snapshot.
 */
class InProcessReplicatedKeyspaceIT extends ReplicatedKeyspaceScenarios<InProcessCluster> {

  @Override
  InProcessCluster newCluster(Path dir) {
    return new InProcessCluster(dir, 3);
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
