package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.DroneStatus;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.Rollout;
import io.aimstore.api.v1.RolloutRequest;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.api.v1.SafetyThresholds;
import io.aimstore.api.v1.TargetRecord;
import io.aimstore.api.v1.UpdateWindow;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.DroneAgent;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Twenty simulated drones: a canary that one drone refuses, a halt, a rollback. */
class RolloutIT extends InProcessFixture {
  static final String FLEET = "fleet-1";

  final List<DroneAgent> drones = new ArrayList<>();
  final Map<String, Long> flying = new ConcurrentHashMap<>();

  @AfterEach
  void stopDrones() {
    drones.forEach(DroneAgent::close);
  }

  static AimConfig config(double sensitivity) {
    return AimConfig.newBuilder()
        .setSchemaVersion(1)
        .setSensitivity(sensitivity)
        .setSafety(
            SafetyThresholds.newBuilder()
                .setMinAltitudeM(20)
                .setMaxAltitudeM(120)
                .setMaxSpeedMps(15)
                .setGeofenceRadiusM(800)
                .setMinBatteryPct(35))
        .setUpdateWindow(UpdateWindow.newBuilder().setStartMinuteUtc(120).setDurationMinutes(60))
        .putParameters("tracker", "kcf")
        .build();
  }

  long putConfig(AimConfig c) {
    return await(
            client
                .fleet()
                .putConfig(
                    ConfigPutRequest.newBuilder()
                        .setFleet(FLEET)
                        .setName("aim")
                        .setConfig(c)
                        .build()))
        .getVersion();
  }

  void startDrones(int n, String refuser, long refusedVersion) {
    for (int i = 1; i <= n; i++) {
      String name = "drone-" + i;
      drones.add(drone(name, name.equals(refuser) ? refusedVersion : -2));
    }
  }

  /** A simulated drone that refuses version {@code refused} ("lock mismatch"). */
  DroneAgent drone(String name, long refused) {
    return DroneAgent.start(
        client,
        FLEET,
        name,
        Duration.ofSeconds(5),
        (TargetRecord t) -> {
          if (t.getVersion() == refused) {
            throw new IllegalStateException("lock mismatch");
          }
          flying.put(name, t.getVersion());
        });
  }

  List<DroneStatus> status() {
    return await(client.fleet().fleetStatus(FLEET)).getDronesList();
  }

  /** A rollout of the fleet's config "aim". */
  static RolloutStartRequest.Builder rollout() {
    return RolloutStartRequest.newBuilder().setFleet(FLEET).setConfigName("aim");
  }

  Rollout start(RolloutStartRequest.Builder rollout) {
    return await(client.fleet().start(rollout.build())).getRollout();
  }

  static RolloutRequest request(Fence fence) {
    return RolloutRequest.newBuilder().setFleet(FLEET).setFence(fence).build();
  }

  LockHandle configLock(Session ops) {
    return client.locks().acquire("aim/" + FLEET + "/config", ops, Duration.ofSeconds(5));
  }

  void awaitRolloutState(Rollout.State state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(await(client.fleet().status(FLEET)).getRollout().getState())
                    .isEqualTo(state));
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      ThrowingCallable call, AimStoreException.Code code) {
    return assertThatThrownBy(call)
        .satisfies(e -> assertThat(AimStoreException.from(e).code()).isEqualTo(code));
  }

  @Test
  void aRefusedCanaryHaltsTheRolloutAndRollbackRestoresEveryDrone() {
    long v1 = putConfig(config(5));
    long v2Planned = -1;
    startDrones(20, "drone-2", v2Planned);
    try (Session ops = client.session(SessionOptions.ttl(Duration.ofSeconds(10)));
        LockHandle lock = configLock(ops)) {
      Fence fence = lock.fence();
      Rollout r1 = start(rollout().setAutoPromote(true).setOperator("ops").setFence(fence));
      assertThat(r1.getVersion()).isEqualTo(v1);
      awaitRolloutState(Rollout.State.COMPLETED);
      assertThat(status())
          .hasSize(20)
          .allSatisfy(d -> assertThat(d.getAppliedVersion()).isEqualTo(v1));

      // V2: drone-2 (a canary) will refuse it
      long v2 = putConfig(config(6));
      drones.get(1).close();
      drones.set(1, drone("drone-2", v2));
      Rollout r2 =
          start(
              rollout()
                  .addAllCanary(List.of("drone-1", "drone-2", "drone-3"))
                  .addPercentStages(10)
                  .setOperator("ops")
                  .setFence(fence));
      assertThat(r2.getStagesList())
          .extracting(Rollout.Stage::getName)
          .containsExactly("canary", "10%", "all");
      assertThat(r2.getStages(0).getDronesList()).containsExactly("drone-1", "drone-2", "drone-3");
      assertThat(r2.getStages(1).getDronesCount()).isEqualTo(2);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                Rollout r = await(client.fleet().status(FLEET)).getRollout();
                assertThat(r.getState()).isEqualTo(Rollout.State.HALTED);
                assertThat(r.getHaltReason())
                    .contains("drone-2 refused v" + v2)
                    .contains("lock mismatch");
              });
      // only the canaries were touched
      assertThat(status())
          .filteredOn(d -> d.getTargetVersion() == v2)
          .extracting(DroneStatus::getDrone)
          .containsExactlyInAnyOrder("drone-1", "drone-2", "drone-3");
      assertRefused(
          () -> await(client.fleet().promote(request(fence))),
          AimStoreException.Code.FAILED_PRECONDITION);

      Rollout back = await(client.fleet().rollback(request(fence))).getRollout();
      assertThat(back.getState()).isEqualTo(Rollout.State.ROLLED_BACK);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(status())
                    .hasSize(20)
                    .allSatisfy(
                        d -> {
                          assertThat(d.getTargetVersion()).as(d.getDrone()).isEqualTo(v1);
                          assertThat(d.getAppliedVersion()).as(d.getDrone()).isEqualTo(v1);
                          assertThat(d.getAlive()).isTrue();
                        });
                assertThat(flying)
                    .hasSize(20)
                    .allSatisfy((d, v) -> assertThat(v).as(d).isEqualTo(v1));
              });
    }
  }

  @Test
  void holdStopsEverythingUntilReleasedAndRolloutsNeedTheConfigLock() {
    long v1 = putConfig(config(5));
    startDrones(4, null, 0);
    assertRefused(() -> start(rollout()), AimStoreException.Code.FAILED_PRECONDITION)
        .hasMessageContaining("config lock");
    try (Session ops = client.session(SessionOptions.ttl(Duration.ofSeconds(10)));
        LockHandle lock = configLock(ops)) {
      await(client.fleet().hold(FLEET, "storm front"));
      assertThatThrownBy(() -> start(rollout().setFence(lock.fence())))
          .hasMessageContaining("on hold")
          .hasMessageContaining("storm front");
      assertThat(await(client.fleet().fleetStatus(FLEET)).getHold().getReason())
          .isEqualTo("storm front");
      await(client.fleet().release(FLEET));
      Rollout r = start(rollout().setAutoPromote(true).setFence(lock.fence()));
      assertThat(r.getVersion()).isEqualTo(v1);
      awaitRolloutState(Rollout.State.COMPLETED);
    }
  }

  @Test
  void anInvalidConfigIsRefusedWithEveryBrokenRuleAndNothingIsWritten() {
    AimConfig bad =
        config(9).toBuilder()
            .setSafety(config(9).getSafety().toBuilder().setMinBatteryPct(20).setMaxAltitudeM(25))
            .putParameters("Bad Key", "x")
            .build();
    assertRefused(() -> putConfig(bad), AimStoreException.Code.INVALID_ARGUMENT)
        .hasMessageContaining("max_altitude_m must be at least 10 above")
        .hasMessageContaining("min_battery_pct must be >= 30 when sensitivity > 8")
        .hasMessageContaining("parameter key 'Bad Key'");
    assertThat(await(client.kv().get("/aim/" + FLEET + "/configs/aim")).getCount()).isZero();
    assertRefused(
        () -> await(client.kv().put("/aim/" + FLEET + "/configs/aim", "{}")),
        AimStoreException.Code.PERMISSION_DENIED);
  }
}
