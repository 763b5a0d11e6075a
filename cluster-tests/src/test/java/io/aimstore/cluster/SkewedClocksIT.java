package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.Rollout;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.DroneAgent;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.testkit.InProcessCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the leader decides time: followers whose wall clocks are an hour off either way change no
 * time the store records and no rollout deadline, even when every request goes through them.
 */
class SkewedClocksIT {
  static final Duration SKEW = Duration.ofHours(1);

  @TempDir Path dir;
  InProcessCluster cluster;
  final List<DroneAgent> drones = new ArrayList<>();

  @AfterEach
  void stop() {
    drones.forEach(DroneAgent::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aRolloutStartedThroughFollowersWithSkewedClocksKeepsTheLeadersDeadline() throws Exception {
    cluster = new InProcessCluster(dir, 3);
    cluster.start();
    int leader = cluster.awaitLeader();
    List<Integer> followers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      if (i != leader) {
        followers.add(i);
      }
    }
    // restart the followers with clocks an hour behind and an hour ahead
    cluster.stop(followers.get(0));
    cluster.clock(followers.get(0), Clock.offset(Clock.systemUTC(), SKEW.negated()));
    cluster.start(followers.get(0));
    cluster.stop(followers.get(1));
    cluster.clock(followers.get(1), Clock.offset(Clock.systemUTC(), SKEW));
    cluster.start(followers.get(1));
    assertThat(cluster.awaitLeader()).as("the leader did not change").isEqualTo(leader);

    AimStoreClient behind = cluster.clientOf(followers.get(0));
    drones.add(DroneAgent.start(behind, "fleet-1", "drone-1", Duration.ofSeconds(5), t -> {}));
    await(
        behind
            .fleet()
            .putConfig(
                ConfigPutRequest.newBuilder()
                    .setFleet("fleet-1")
                    .setName("aim")
                    .setConfig(RolloutIT.config(5))
                    .build()));
    long before = System.currentTimeMillis();
    Rollout started;
    try (Session ops = behind.session(SessionOptions.ttl(Duration.ofSeconds(10)));
        LockHandle lock =
            behind.locks().acquire("aim/fleet-1/config", ops, Duration.ofSeconds(5))) {
      started =
          await(
                  behind
                      .fleet()
                      .start(
                          RolloutStartRequest.newBuilder()
                              .setFleet("fleet-1")
                              .setConfigName("aim")
                              .addCanary("drone-1")
                              .setAckTimeoutMs(30_000)
                              .setFence(lock.fence())
                              .build()))
              .getRollout();
    }
    long after = System.currentTimeMillis();
    // stamped with the leader's time, not the follower's (an hour off)
    assertThat(started.getStageStartedAtMs()).isBetween(before - 5_000, after + 5_000);
    // a follower an hour behind would have made a 30 s ack timeout an hour overdue at once; one an
    // hour ahead would never reach it. Ticks come every second: the rollout must still run.
    Thread.sleep(3_000);
    Rollout now = await(cluster.clientOf(followers.get(1)).fleet().status("fleet-1")).getRollout();
    assertThat(now.getState()).isIn(Rollout.State.RUNNING, Rollout.State.COMPLETED);
    assertThat(now.getHaltReason()).isEmpty();
    assertThat(cluster.node(followers.get(1)).raft().isLeader()).isFalse();
  }
}
