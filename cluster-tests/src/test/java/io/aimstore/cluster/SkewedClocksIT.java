package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * Only the leader decides time: a follower whose wall clock is an hour off the leader's changes no
 * time the store records and no rollout deadline, even when every request goes through it.
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
  void aRolloutStartedThroughAFollowerWithAnotherClockKeepsTheLeadersDeadline() throws Exception {
    // member 1 on time, member 2 an hour behind, member 3 an hour ahead; whoever wins the election
    cluster =
        new InProcessCluster(dir, 3)
            .clock(2, Clock.offset(Clock.systemUTC(), SKEW.negated()))
            .clock(3, Clock.offset(Clock.systemUTC(), SKEW));
    cluster.start();
    int leader = cluster.awaitLeader();
    // the call goes through a follower whose clock is an hour off the leader's
    int follower = leader == 2 ? 3 : 2;
    long leaderSkew = skewOf(leader).toMillis();

    AimStoreClient through = cluster.clientOf(follower);
    drones.add(DroneAgent.start(through, "fleet-1", "drone-1", Duration.ofSeconds(5), t -> {}));
    await(
        through
            .fleet()
            .putConfig(
                ConfigPutRequest.newBuilder()
                    .setFleet("fleet-1")
                    .setName("aim")
                    .setConfig(RolloutIT.config(5))
                    .build()));
    long before = System.currentTimeMillis();
    Rollout started;
    try (Session ops = through.session(SessionOptions.ttl(Duration.ofSeconds(10)));
        LockHandle lock =
            through.locks().acquire("aim/fleet-1/config", ops, Duration.ofSeconds(5))) {
      started =
          await(
                  through
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
    // a machine loaded enough to move leadership meanwhile leaves no single leader's time to check
    assumeTrue(
        cluster.awaitLeader() == leader,
        "leadership moved during the test (an overloaded machine)");
    // stamped with the leader's time, not the follower's (an hour off it)
    assertThat(started.getStageStartedAtMs())
        .isBetween(before + leaderSkew - 5_000, after + leaderSkew + 5_000);
    // a follower an hour behind would have made a 30 s ack timeout an hour overdue at once; one an
    // hour ahead would never reach it. Ticks come every second: the rollout must still run.
    Thread.sleep(3_000);
    Rollout now = await(cluster.clientOf(follower).fleet().status("fleet-1")).getRollout();
    assertThat(now.getState()).isIn(Rollout.State.RUNNING, Rollout.State.COMPLETED);
    assertThat(now.getHaltReason()).isEmpty();
  }

  /** How far member {@code i}'s clock is off: 1 on time, 2 behind, 3 ahead. */
  private static Duration skewOf(int i) {
    return switch (i) {
      case 2 -> SKEW.negated();
      case 3 -> SKEW;
      default -> Duration.ZERO;
    };
  }
}
