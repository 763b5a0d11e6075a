package io.aimstore.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.DroneReport;
import io.aimstore.api.v1.DroneReportRequest;
import io.aimstore.api.v1.DroneStatus;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.HoldRequest;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.Rollout;
import io.aimstore.api.v1.RolloutRequest;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.api.v1.SafetyThresholds;
import io.aimstore.api.v1.TargetRecord;
import io.aimstore.api.v1.UpdateWindow;
import io.aimstore.internal.Command;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.FleetHold;
import io.aimstore.internal.RolloutAction;
import io.aimstore.internal.RolloutTick;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rollout state machine inside apply, with the harness's fake clock: no sockets, no sleeps. */
class RolloutEngineTest extends CoreTest {
  static final String FLEET = "f1";
  Fence fence;
  long lease;

  @BeforeEach
  void grantLeaseAndTakeTheConfigLock() {
    lease = h.ok(CoreHarness.Cmd.grant(0, 60)).getLeaseGrant().getId();
    for (int i = 1; i <= 10; i++) {
      h.ok(
          CoreHarness.Cmd.put(
              PutRequest.newBuilder()
                  .setKey(bs("/aim/f1/drones/d" + i + "/presence"))
                  .setValue(bs("up"))
                  .setLease(lease)));
    }
    long token =
        h.ok(CoreHarness.Cmd.acquire(AimKeys.configLock(FLEET), lease)).getLockAcquire().getToken();
    fence = Fence.newBuilder().setLock(AimKeys.configLock(FLEET)).setToken(token).build();
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static AimConfig config(double sensitivity) {
    return AimConfig.newBuilder()
        .setSchemaVersion(1)
        .setSensitivity(sensitivity)
        .setSafety(
            SafetyThresholds.newBuilder()
                .setMinAltitudeM(10)
                .setMaxAltitudeM(100)
                .setMaxSpeedMps(10)
                .setGeofenceRadiusM(500)
                .setMinBatteryPct(40))
        .setUpdateWindow(UpdateWindow.newBuilder().setStartMinuteUtc(0).setDurationMinutes(30))
        .build();
  }

  long putConfig(double sensitivity) {
    return h.ok(
            Command.newBuilder()
                .setConfigPut(
                    ConfigPutRequest.newBuilder()
                        .setFleet(FLEET)
                        .setName("aim")
                        .setConfig(config(sensitivity)))
                .build())
        .getConfigPut()
        .getVersion();
  }

  Rollout start(RolloutStartRequest.Builder r) {
    return h.ok(
            Command.newBuilder()
                .setRolloutStart(r.setFleet(FLEET).setConfigName("aim").setFence(fence))
                .build())
        .getRollout();
  }

  Rollout act(RolloutAction.Kind kind) {
    return h.ok(
            Command.newBuilder()
                .setRolloutAction(
                    RolloutAction.newBuilder()
                        .setKind(kind)
                        .setRequest(RolloutRequest.newBuilder().setFleet(FLEET).setFence(fence)))
                .build())
        .getRollout();
  }

  Rollout report(String drone, long version, boolean applied, String reason) {
    return h.ok(
            Command.newBuilder()
                .setDroneReport(
                    DroneReportRequest.newBuilder()
                        .setFleet(FLEET)
                        .setReport(
                            DroneReport.newBuilder()
                                .setDrone(drone)
                                .setVersion(version)
                                .setApplied(applied)
                                .setReason(reason)))
                .build())
        .getRollout();
  }

  TargetRecord target(String drone) throws Exception {
    var kvs =
        h.store()
            .range(RangeRequests.of(AimKeys.target(FLEET, drone), ByteString.EMPTY))
            .getKvsList();
    if (kvs.isEmpty()) {
      return null;
    }
    TargetRecord.Builder b = TargetRecord.newBuilder();
    JsonFormat.parser().merge(kvs.get(0).getValue().toStringUtf8(), b);
    return b.build();
  }

  List<DroneStatus> drones() {
    return h.store().fleet(FLEET).drones();
  }

  @Test
  void stagesAreCanaryThenPercentThenEveryoneAndOnlyTheCurrentStageIsPublished() throws Exception {
    long v1 = putConfig(5);
    Rollout r =
        start(
            RolloutStartRequest.newBuilder().addCanary("d3").addCanary("d7").addPercentStages(25));
    assertThat(r.getStagesList())
        .extracting(Rollout.Stage::getName)
        .containsExactly("canary", "25%", "all");
    assertThat(r.getStages(0).getDronesList()).containsExactly("d3", "d7");
    assertThat(r.getStages(1).getDronesList()).containsExactly("d1", "d10");
    assertThat(r.getStages(2).getDronesCount()).isEqualTo(6);
    assertThat(target("d3").getVersion()).isEqualTo(v1);
    assertThat(target("d1")).isNull();
    var kv =
        h.store().range(RangeRequests.of(AimKeys.target(FLEET, "d3"), ByteString.EMPTY)).getKvs(0);
    assertThat(kv.getFenceToken())
        .as("targets carry the config lock's token")
        .isEqualTo(fence.getToken());
  }

  @Test
  void manualRolloutsAdvanceOnPromoteOnlyWhenTheStageIsDone() throws Exception {
    long v1 = putConfig(5);
    start(RolloutStartRequest.newBuilder().addCanary("d1"));
    String msg =
        h.fails(
            Command.newBuilder()
                .setRolloutAction(
                    RolloutAction.newBuilder()
                        .setKind(RolloutAction.Kind.PROMOTE)
                        .setRequest(RolloutRequest.newBuilder().setFleet(FLEET).setFence(fence)))
                .build(),
            ErrorCode.FAILED_PRECONDITION);
    assertThat(msg).contains("waiting for d1");
    Rollout after = report("d1", v1, true, "");
    assertThat(after.getCurrentStage()).as("no auto-promote").isZero();
    Rollout promoted = act(RolloutAction.Kind.PROMOTE);
    assertThat(promoted.getCurrentStage()).isEqualTo(1);
    assertThat(target("d2").getVersion()).isEqualTo(v1);
    for (int i = 2; i <= 10; i++) {
      report("d" + i, v1, true, "");
    }
    assertThat(h.store().fleet(FLEET).rollout().getState()).isEqualTo(Rollout.State.COMPLETED);
  }

  @Test
  void autoRolloutsAdvanceAsDronesApply() throws Exception {
    long v1 = putConfig(5);
    start(RolloutStartRequest.newBuilder().addCanary("d1").setAutoPromote(true));
    Rollout r = report("d1", v1, true, "");
    assertThat(r.getCurrentStage()).isEqualTo(1);
    for (int i = 2; i <= 10; i++) {
      r = report("d" + i, v1, true, "");
    }
    assertThat(r.getState()).isEqualTo(Rollout.State.COMPLETED);
    assertThat(drones())
        .hasSize(10)
        .allSatisfy(d -> assertThat(d.getAppliedVersion()).isEqualTo(v1));
  }

  @Test
  void aRefusalHaltsAndRollbackRestoresEachDronesPreviousTarget() throws Exception {
    long v1 = putConfig(5);
    start(RolloutStartRequest.newBuilder().setAutoPromote(true));
    for (int i = 1; i <= 10; i++) {
      report("d" + i, v1, true, "");
    }
    long v2 = putConfig(6);
    start(RolloutStartRequest.newBuilder().addCanary("d1").addCanary("d2").addCanary("d3"));
    report("d1", v2, true, "");
    Rollout halted = report("d2", v2, false, "lock mismatch");
    assertThat(halted.getState()).isEqualTo(Rollout.State.HALTED);
    assertThat(halted.getHaltReason()).isEqualTo("d2 refused v" + v2 + ": lock mismatch");
    Rollout back = act(RolloutAction.Kind.ROLLBACK);
    assertThat(back.getState()).isEqualTo(Rollout.State.ROLLED_BACK);
    for (int i = 1; i <= 10; i++) {
      assertThat(target("d" + i).getVersion()).as("d" + i).isEqualTo(v1);
      assertThat(target("d" + i).getConfig()).isEqualTo(config(5));
    }
  }

  @Test
  void anAckTimeoutHaltsAtTheTicksTimeNamingWhoDidNotAnswer() {
    long v1 = putConfig(5);
    start(RolloutStartRequest.newBuilder().addCanary("d1").addCanary("d2").setAckTimeoutMs(30_000));
    report("d1", v1, true, "");
    h.ok(Command.newBuilder().setRolloutTick(RolloutTick.getDefaultInstance()).build());
    assertThat(h.store().fleet(FLEET).rollout().getState()).isEqualTo(Rollout.State.RUNNING);
    h.setNow(h.now() + 30_000);
    h.ok(Command.newBuilder().setRolloutTick(RolloutTick.getDefaultInstance()).build());
    Rollout r = h.store().fleet(FLEET).rollout();
    assertThat(r.getState()).isEqualTo(Rollout.State.HALTED);
    assertThat(r.getHaltReason()).contains("ack timeout").contains("d2").doesNotContain("d1,");
  }

  @Test
  void theCoreSaysWhenTheNextStageTimesOutAndAHoldOrTheEndOfTheRolloutClearsIt() {
    assertThat(h.store().nextRolloutDeadlineMs()).isEqualTo(Long.MAX_VALUE);
    long v1 = putConfig(5);
    long started = h.now();
    start(RolloutStartRequest.newBuilder().addCanary("d1").setAckTimeoutMs(30_000));
    assertThat(h.store().nextRolloutDeadlineMs()).isEqualTo(started + 30_000);
    h.ok(
        Command.newBuilder()
            .setFleetHold(
                FleetHold.newBuilder()
                    .setHold(true)
                    .setRequest(HoldRequest.newBuilder().setFleet(FLEET).setReason("wind")))
            .build());
    assertThat(h.store().nextRolloutDeadlineMs()).isEqualTo(Long.MAX_VALUE);
    h.ok(
        Command.newBuilder()
            .setFleetHold(
                FleetHold.newBuilder()
                    .setHold(false)
                    .setRequest(HoldRequest.newBuilder().setFleet(FLEET).setReason("calm")))
            .build());
    long resumed = h.store().fleet(FLEET).rollout().getStageStartedAtMs();
    assertThat(h.store().nextRolloutDeadlineMs()).isEqualTo(resumed + 30_000);
    report("d1", v1, true, "");
    act(RolloutAction.Kind.PROMOTE);
    assertThat(h.store().fleet(FLEET).rollout().getState()).isEqualTo(Rollout.State.RUNNING);
  }

  @Test
  void aLeaderBehindTheLastLeaderCannotMoveTheStoresTimeBackwards() {
    long v1 = putConfig(5);
    start(RolloutStartRequest.newBuilder().addCanary("d1").addCanary("d2").setAckTimeoutMs(30_000));
    long deadline = h.store().nextRolloutDeadlineMs();
    report("d1", v1, true, "");
    // a new leader whose clock is an hour behind: its entries carry earlier times
    h.setNow(h.now() - 3_600_000);
    Rollout r = report("d2", v1, false, "busy");
    assertThat(r.getState()).isEqualTo(Rollout.State.HALTED);
    DroneReport last =
        drones().stream()
            .filter(d -> d.getDrone().equals("d2"))
            .findFirst()
            .orElseThrow()
            .getLastReport();
    assertThat(last.getAtMs())
        .as("stamped no earlier than the entry before")
        .isGreaterThan(deadline - 30_000);
  }

  @Test
  void aHoldStopsStartsPromotionsAndRollbacksUntilReleased() {
    long v1 = putConfig(5);
    start(RolloutStartRequest.newBuilder().addCanary("d1").setAutoPromote(true));
    h.ok(
        Command.newBuilder()
            .setCaller(CoreHarness.Cmd.OPERATOR)
            .setFleetHold(
                FleetHold.newBuilder()
                    .setHold(true)
                    .setRequest(
                        HoldRequest.newBuilder()
                            .setFleet(FLEET)
                            .setReason("storm")
                            .setOperator("ignored: the caller's identity is recorded")))
            .build());
    Rollout r = report("d1", v1, true, "");
    assertThat(r.getCurrentStage()).as("no advance while held").isZero();
    assertThat(
            h.fails(
                Command.newBuilder()
                    .setRolloutAction(
                        RolloutAction.newBuilder()
                            .setKind(RolloutAction.Kind.ROLLBACK)
                            .setRequest(
                                RolloutRequest.newBuilder().setFleet(FLEET).setFence(fence)))
                    .build(),
                ErrorCode.FAILED_PRECONDITION))
        .contains("on hold (storm, by " + CoreHarness.Cmd.OPERATOR + ")");
    Rollout released =
        h.ok(
                Command.newBuilder()
                    .setFleetHold(
                        FleetHold.newBuilder()
                            .setHold(false)
                            .setRequest(HoldRequest.newBuilder().setFleet(FLEET)))
                    .build())
            .getRollout();
    assertThat(released.getCurrentStage()).as("released: the finished stage advances").isEqualTo(1);
  }

  @Test
  void rolloutsNeedTheConfigLockAndOneAtATime() {
    putConfig(5);
    assertThat(startRefused(RolloutStartRequest.newBuilder().setFleet(FLEET).setConfigName("aim")))
        .contains("fenced by its config lock");
    Fence stale = fence.toBuilder().setToken(fence.getToken() - 1).build();
    assertThat(
            startRefused(
                RolloutStartRequest.newBuilder()
                    .setFleet(FLEET)
                    .setConfigName("aim")
                    .setFence(stale)))
        .contains("stale fencing token");
    start(RolloutStartRequest.newBuilder().addCanary("d1"));
    assertThat(
            startRefused(
                RolloutStartRequest.newBuilder()
                    .setFleet(FLEET)
                    .setConfigName("aim")
                    .setFence(fence)))
        .contains("already has a running rollout");
    assertThat(
            startRefused(
                RolloutStartRequest.newBuilder()
                    .setFleet("f2")
                    .setConfigName("aim")
                    .addCanary("x")
                    .setFence(Fence.newBuilder().setLock(AimKeys.configLock("f2")).setToken(1))))
        .contains("stale fencing token");
  }

  /** Why starting {@code r} fails (FAILED_PRECONDITION). */
  private String startRefused(RolloutStartRequest.Builder r) {
    return h.fails(Command.newBuilder().setRolloutStart(r).build(), ErrorCode.FAILED_PRECONDITION);
  }

  @Test
  void anInvalidConfigWritesNothing() {
    long rev = h.revision();
    String msg =
        h.fails(
            Command.newBuilder()
                .setConfigPut(
                    ConfigPutRequest.newBuilder()
                        .setFleet(FLEET)
                        .setName("aim")
                        .setConfig(config(11)))
                .build(),
            ErrorCode.INVALID_ARGUMENT);
    assertThat(msg).contains("sensitivity must be in (0, 10]");
    assertThat(h.revision()).isEqualTo(rev);
  }
}
