package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.AimConfigRules;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.ConfigPutResponse;
import io.aimstore.api.v1.DroneReport;
import io.aimstore.api.v1.DroneReportRequest;
import io.aimstore.api.v1.HoldRecord;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.api.v1.Rollout;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.api.v1.TargetRecord;
import io.aimstore.internal.FleetHold;
import io.aimstore.internal.RolloutAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Staged rollouts of aim configs, applied deterministically inside {@code apply}: every transition
 * is one command, its time comes from the command. A rollout publishes a config version as the
 * target of each stage's drones (fenced with the fleet's config-lock token, so drones can refuse a
 * stale one), advances when every drone of the stage applied it, halts on a refusal or an ack
 * timeout, and rolls back by republishing each drone's previous target. While the fleet is on hold
 * nothing is published and nothing advances.
 *
 * <pre>
 *   start(V, canary a,b,c; 10%; rest)  → targets a,b,c := V          RUNNING stage 0
 *   report a,b,c applied V (auto)      → next stage's targets := V    RUNNING stage 1 ...
 *   report d refused V                 → HALTED "d refused V: lock mismatch"
 *   rollback                           → every drone that took V gets its previous target back
 * </pre>
 */
final class RolloutEngine {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSE = JsonFormat.parser().ignoringUnknownFields();
  private static final long LATEST = Long.MAX_VALUE;

  private final KeyspaceReader reader;
  private final KeyspaceWriter writer;
  private long now;

  RolloutEngine(KeyspaceReader reader, KeyspaceWriter writer) {
    this.reader = reader;
    this.writer = writer;
  }

  void at(long nowMs) {
    this.now = nowMs;
  }

  // ---- configs -------------------------------------------------------------------------------

  ConfigPutResponse putConfig(ConfigPutRequest r, long fenceToken) {
    AimKeys.checkName("fleet", r.getFleet());
    AimKeys.checkName("config name", r.getName());
    List<String> violations = AimConfigRules.violations(r.getConfig());
    if (!violations.isEmpty()) {
      throw StoreException.invalid("invalid aim config: " + String.join("; ", violations));
    }
    ByteString key = AimKeys.config(r.getFleet(), r.getName());
    put(key, r.getConfig(), fenceToken);
    return ConfigPutResponse.newBuilder()
        .setHeader(header(writer.openRevision()))
        .setVersion(writer.openRevision())
        .build();
  }

  // ---- rollouts ------------------------------------------------------------------------------

  Rollout start(RolloutStartRequest r, long token) {
    String fleet = r.getFleet();
    AimKeys.checkName("fleet", fleet);
    checkNotHeld(fleet, "start a rollout");
    Rollout current = rollout(fleet);
    if (current != null
        && (current.getState() == Rollout.State.RUNNING
            || current.getState() == Rollout.State.PAUSED)) {
      throw StoreException.failedPrecondition(
          "fleet "
              + fleet
              + " already has a "
              + current.getState().name().toLowerCase()
              + " rollout of "
              + current.getConfigName()
              + " v"
              + current.getVersion()
              + "; finish, roll back or let it halt first");
    }
    KeyValue config = configAt(fleet, r.getConfigName(), r.getVersion());
    List<String> alive = aliveDrones(fleet);
    List<String> canary = new ArrayList<>(new java.util.LinkedHashSet<>(r.getCanaryList()));
    for (String d : canary) {
      if (!alive.contains(d)) {
        throw StoreException.failedPrecondition(
            "canary drone " + d + " is not alive in fleet " + fleet + " (alive: " + alive + ")");
      }
    }
    List<Rollout.Stage> stages = new ArrayList<>();
    TreeSet<String> rest = new TreeSet<>(alive);
    canary.forEach(rest::remove);
    if (!canary.isEmpty()) {
      stages.add(Rollout.Stage.newBuilder().setName("canary").addAllDrones(canary).build());
    }
    int remaining = rest.size();
    for (int p : r.getPercentStagesList()) {
      if (p <= 0 || p > 100) {
        throw StoreException.invalid("stage percentages must be in 1..100, got " + p);
      }
      int n = Math.min(rest.size(), (int) Math.ceil(remaining * p / 100.0));
      List<String> drones = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        drones.add(rest.pollFirst());
      }
      if (!drones.isEmpty()) {
        stages.add(Rollout.Stage.newBuilder().setName(p + "%").addAllDrones(drones).build());
      }
    }
    if (!rest.isEmpty()) {
      stages.add(Rollout.Stage.newBuilder().setName("all").addAllDrones(rest).build());
    }
    if (stages.isEmpty()) {
      throw StoreException.failedPrecondition(
          "fleet " + fleet + " has no alive drones to roll out to");
    }
    Rollout.Builder b =
        Rollout.newBuilder()
            .setId(writer.openRevision())
            .setFleet(fleet)
            .setConfigName(r.getConfigName())
            .setVersion(config.getModRevision())
            .addAllStages(stages)
            .setCurrentStage(0)
            .setState(Rollout.State.RUNNING)
            .setAckTimeoutMs(r.getAckTimeoutMs())
            .setAutoPromote(r.getAutoPromote())
            .setStartedAtMs(now)
            .setOperator(r.getOperator())
            .setFenceToken(token);
    b.setConfig(parse(config.getValue(), AimConfig.newBuilder()));
    for (String d : alive) {
      TargetRecord t = target(fleet, d);
      b.putPreviousVersions(d, t == null ? 0 : t.getVersion());
      if (t != null) {
        b.putPreviousConfigs(t.getVersion(), t.getConfig());
      }
    }
    publishStage(b);
    return save(b);
  }

  Rollout act(RolloutAction a, long token) {
    String fleet = a.getRequest().getFleet();
    Rollout r = existing(fleet);
    Rollout.Builder b = r.toBuilder().setFenceToken(Math.max(r.getFenceToken(), token));
    switch (a.getKind()) {
      case PROMOTE -> {
        requireState(r, "promote", Rollout.State.RUNNING);
        checkNotHeld(fleet, "promote a rollout");
        List<String> missing = notApplied(r);
        if (!missing.isEmpty()) {
          throw StoreException.failedPrecondition(
              "stage "
                  + stageName(r)
                  + " is not done: waiting for "
                  + String.join(", ", missing)
                  + " to apply v"
                  + r.getVersion());
        }
        advance(b);
      }
      case PAUSE -> {
        requireState(r, "pause", Rollout.State.RUNNING);
        b.setState(Rollout.State.PAUSED);
      }
      case RESUME -> {
        requireState(r, "resume", Rollout.State.PAUSED);
        b.setState(Rollout.State.RUNNING).setStageStartedAtMs(now);
        maybeAdvance(b);
      }
      case ROLLBACK -> {
        if (r.getState() == Rollout.State.ROLLED_BACK) {
          throw StoreException.failedPrecondition(
              "the rollout of v" + r.getVersion() + " was already rolled back");
        }
        checkNotHeld(fleet, "roll back");
        rollback(b);
      }
      default -> throw StoreException.invalid("unknown rollout action " + a.getKind());
    }
    return save(b);
  }

  /** Records a drone's report; the rollout halts or advances on it (checks run before writes). */
  Rollout report(DroneReportRequest req) {
    String fleet = req.getFleet();
    AimKeys.checkName("fleet", fleet);
    DroneReport rep = req.getReport().toBuilder().setAtMs(now).build();
    AimKeys.checkName("drone", rep.getDrone());
    put(AimKeys.report(fleet, rep.getDrone()), rep, 0);
    // from here on nothing can fail: reads only, then writes of records already known good
    Rollout r = rollout(fleet);
    if (r == null
        || r.getState() != Rollout.State.RUNNING
        || rep.getVersion() != r.getVersion()
        || !r.getStages(r.getCurrentStage()).getDronesList().contains(rep.getDrone())) {
      return r == null ? Rollout.getDefaultInstance() : r;
    }
    Rollout.Builder b = r.toBuilder();
    if (!rep.getApplied()) {
      b.setState(Rollout.State.HALTED)
          .setHaltReason(rep.getDrone() + " refused v" + r.getVersion() + ": " + rep.getReason());
      return save(b);
    }
    if (maybeAdvance(b)) {
      return save(b);
    }
    return r;
  }

  Rollout hold(FleetHold h) {
    String fleet = h.getRequest().getFleet();
    AimKeys.checkName("fleet", fleet);
    ByteString key = AimKeys.hold(fleet);
    KeyValue prev = reader.get(key, LATEST);
    if (h.getHold()) {
      if (h.getRequest().getReason().isBlank()) {
        throw StoreException.invalid("a hold needs a reason");
      }
      writer.put(
          key,
          json(
              HoldRecord.newBuilder()
                  .setReason(h.getRequest().getReason())
                  .setOperator(h.getRequest().getOperator())
                  .setSinceMs(now)
                  .build()),
          0,
          0,
          prev);
    } else {
      if (prev == null) {
        throw StoreException.failedPrecondition("fleet " + fleet + " is not on hold");
      }
      writer.delete(prev);
      Rollout r = rollout(fleet);
      if (r != null && r.getState() == Rollout.State.RUNNING) {
        Rollout.Builder b = r.toBuilder().setStageStartedAtMs(now);
        maybeAdvanceIgnoringHold(b);
        return save(b);
      }
    }
    Rollout r = rollout(fleet);
    return r == null ? Rollout.getDefaultInstance() : r;
  }

  /** Halts every running rollout whose stage has waited longer than its ack timeout. */
  void tick() {
    List<KeyValue> index = new ArrayList<>();
    ByteString p = ByteString.copyFromUtf8(AimKeys.ROLLOUT_INDEX);
    reader.scan(p, KeyRanges.prefixEnd(p), LATEST, index::add);
    for (KeyValue kv : index) {
      String fleet = kv.getKey().toStringUtf8().substring(AimKeys.ROLLOUT_INDEX.length());
      Rollout r = rollout(fleet);
      if (r == null || held(fleet)) {
        continue;
      }
      if (now >= stageDeadline(r)) {
        List<String> missing = notApplied(r);
        if (!missing.isEmpty()) {
          save(
              r.toBuilder()
                  .setState(Rollout.State.HALTED)
                  .setHaltReason(
                      "ack timeout: "
                          + String.join(", ", missing)
                          + " did not apply v"
                          + r.getVersion()
                          + " within "
                          + r.getAckTimeoutMs()
                          + " ms"));
        }
      }
    }
  }

  /**
   * When the running stage of {@code r} times out (leader time, unix ms): its start plus its ack
   * timeout; {@link Long#MAX_VALUE} when it cannot time out (not running, or no ack timeout). The
   * one rule for ack timeouts: {@link #tick} halts by it and the leader's timer asks it when to
   * propose a tick.
   */
  static long stageDeadline(Rollout r) {
    if (r.getState() != Rollout.State.RUNNING || r.getAckTimeoutMs() <= 0) {
      return Long.MAX_VALUE;
    }
    return r.getStageStartedAtMs() + r.getAckTimeoutMs();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Advances if the stage is done, auto-promote is on and the fleet is not held. */
  private boolean maybeAdvance(Rollout.Builder b) {
    return !held(b.getFleet()) && maybeAdvanceIgnoringHold(b);
  }

  private boolean maybeAdvanceIgnoringHold(Rollout.Builder b) {
    Rollout r = b.build();
    if (!notApplied(r).isEmpty()) {
      return false;
    }
    if (r.getCurrentStage() == r.getStagesCount() - 1) {
      b.setState(Rollout.State.COMPLETED);
      return true;
    }
    if (!r.getAutoPromote()) {
      return false;
    }
    advance(b);
    return true;
  }

  private void advance(Rollout.Builder b) {
    if (b.getCurrentStage() >= b.getStagesCount() - 1) {
      b.setState(Rollout.State.COMPLETED);
      return;
    }
    b.setCurrentStage(b.getCurrentStage() + 1);
    publishStage(b);
  }

  private void publishStage(Rollout.Builder b) {
    b.setStageStartedAtMs(now);
    for (String drone : b.getStages(b.getCurrentStage()).getDronesList()) {
      setTarget(
          b.getFleet(),
          drone,
          TargetRecord.newBuilder()
              .setConfigName(b.getConfigName())
              .setVersion(b.getVersion())
              .setConfig(b.getConfig())
              .setRolloutId(b.getId())
              .build(),
          b.getFenceToken());
    }
  }

  private void rollback(Rollout.Builder b) {
    for (Map.Entry<String, Long> e : b.getPreviousVersionsMap().entrySet()) {
      String drone = e.getKey();
      if (targetVersion(b.getFleet(), drone) != b.getVersion()) {
        continue; // never took this version
      }
      long previous = e.getValue();
      ByteString key = AimKeys.target(b.getFleet(), drone);
      if (previous == 0) {
        writer.delete(reader.get(key, LATEST));
        continue;
      }
      setTarget(
          b.getFleet(),
          drone,
          TargetRecord.newBuilder()
              .setConfigName(b.getConfigName())
              .setVersion(previous)
              .setConfig(b.getPreviousConfigsOrThrow(previous))
              .setRolloutId(b.getId())
              .build(),
          b.getFenceToken());
    }
    b.setState(Rollout.State.ROLLED_BACK);
  }

  private void setTarget(String fleet, String drone, TargetRecord t, long token) {
    put(AimKeys.target(fleet, drone), t, token);
  }

  /** Drones of the current stage that have not reported applying the rollout's version. */
  private List<String> notApplied(Rollout r) {
    List<String> missing = new ArrayList<>();
    for (String d : r.getStages(r.getCurrentStage()).getDronesList()) {
      KeyValue kv = reader.get(AimKeys.report(r.getFleet(), d), LATEST);
      DroneReport rep = kv == null ? null : parse(kv.getValue(), DroneReport.newBuilder()).build();
      if (rep == null || !rep.getApplied() || rep.getVersion() != r.getVersion()) {
        missing.add(d);
      }
    }
    return missing;
  }

  private List<String> aliveDrones(String fleet) {
    TreeSet<String> alive = new TreeSet<>();
    FleetReader.scanDrones(
        reader,
        fleet,
        LATEST,
        (d, kv) -> {
          if (kv.getKey().equals(AimKeys.presence(fleet, d))) {
            alive.add(d);
          }
        });
    return new ArrayList<>(alive);
  }

  private long targetVersion(String fleet, String drone) {
    TargetRecord t = target(fleet, drone);
    return t == null ? 0 : t.getVersion();
  }

  private TargetRecord target(String fleet, String drone) {
    KeyValue kv = reader.get(AimKeys.target(fleet, drone), LATEST);
    return kv == null ? null : parse(kv.getValue(), TargetRecord.newBuilder()).build();
  }

  /** The config at {@code version} (0: latest), checking that version exists. */
  private KeyValue configAt(String fleet, String name, long version) {
    AimKeys.checkName("config name", name);
    ByteString key = AimKeys.config(fleet, name);
    KeyValue kv = reader.get(key, version == 0 ? LATEST : version);
    if (kv == null || (version != 0 && kv.getModRevision() != version)) {
      throw StoreException.notFound(
          "config "
              + name
              + (version == 0 ? "" : " v" + version)
              + " not found in fleet "
              + fleet
              + (version == 0
                  ? ""
                  : " (versions are the revisions that wrote it: aimctl config history)"));
    }
    return kv;
  }

  private boolean held(String fleet) {
    return reader.get(AimKeys.hold(fleet), LATEST) != null;
  }

  private void checkNotHeld(String fleet, String action) {
    KeyValue kv = reader.get(AimKeys.hold(fleet), LATEST);
    if (kv != null) {
      HoldRecord h = parse(kv.getValue(), HoldRecord.newBuilder()).build();
      throw StoreException.failedPrecondition(
          "fleet "
              + fleet
              + " is on hold ("
              + h.getReason()
              + ", by "
              + h.getOperator()
              + "): cannot "
              + action
              + " until it is released");
    }
  }

  private Rollout rollout(String fleet) {
    KeyValue kv = reader.get(AimKeys.rollout(fleet), LATEST);
    return kv == null ? null : parse(kv.getValue(), Rollout.newBuilder()).build();
  }

  private Rollout existing(String fleet) {
    AimKeys.checkName("fleet", fleet);
    Rollout r = rollout(fleet);
    if (r == null) {
      throw StoreException.notFound("fleet " + fleet + " has no rollout");
    }
    return r;
  }

  private static void requireState(Rollout r, String action, Rollout.State state) {
    if (r.getState() != state) {
      throw StoreException.failedPrecondition(
          "cannot "
              + action
              + " a "
              + r.getState().name().toLowerCase()
              + " rollout"
              + (r.getHaltReason().isEmpty() ? "" : " (halted: " + r.getHaltReason() + ")"));
    }
  }

  private static String stageName(Rollout r) {
    return r.getStages(r.getCurrentStage()).getName();
  }

  private Rollout save(Rollout.Builder b) {
    Rollout r = b.build();
    put(AimKeys.rollout(r.getFleet()), r, 0);
    ByteString index = AimKeys.rolloutIndex(r.getFleet());
    if (reader.get(index, LATEST) == null) {
      writer.put(index, ByteString.EMPTY, 0, 0, null);
    }
    return r;
  }

  private void put(ByteString key, Message m, long fenceToken) {
    writer.put(key, json(m), 0, fenceToken, reader.get(key, LATEST));
  }

  private static ByteString json(Message m) {
    try {
      return ByteString.copyFromUtf8(JSON.print(m));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static <B extends Message.Builder> B parse(ByteString json, B builder) {
    try {
      PARSE.merge(json.toStringUtf8(), builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt aim record: " + e.getMessage(), e);
    }
  }

  private static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }
}
