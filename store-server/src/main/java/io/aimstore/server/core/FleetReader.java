package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.DroneReport;
import io.aimstore.api.v1.DroneStatus;
import io.aimstore.api.v1.HoldRecord;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.Rollout;
import io.aimstore.api.v1.TargetRecord;
import io.aimstore.internal.LeaseRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** Reads the aim records of the keyspace (see aim.proto) into their messages. */
final class FleetReader {
  private final KeyspaceReader reader;
  private final io.aimstore.server.storage.Reader raw;
  private final long revision;

  FleetReader(io.aimstore.server.storage.Reader raw, long revision) {
    this.raw = raw;
    this.reader = new KeyspaceReader(raw);
    this.revision = revision;
  }

  Rollout rollout(String fleet) {
    KeyValue kv = reader.get(AimKeys.rollout(fleet), revision);
    return kv == null ? null : RolloutEngine.parse(kv.getValue(), Rollout.newBuilder()).build();
  }

  HoldRecord hold(String fleet) {
    KeyValue kv = reader.get(AimKeys.hold(fleet), revision);
    return kv == null ? null : RolloutEngine.parse(kv.getValue(), HoldRecord.newBuilder()).build();
  }

  /** Every drone with a presence, target or report key, in name order. */
  List<DroneStatus> drones(String fleet) {
    TreeMap<String, DroneStatus.Builder> drones = new TreeMap<>();
    scanDrones(
        reader,
        fleet,
        revision,
        (d, kv) -> {
          DroneStatus.Builder b =
              drones.computeIfAbsent(d, n -> DroneStatus.newBuilder().setDrone(n));
          if (kv.getKey().equals(AimKeys.presence(fleet, d))) {
            b.setAlive(true);
            LeaseRecord lease = kv.getLease() == 0 ? null : LeaseTable.get(raw, kv.getLease());
            if (lease != null) {
              b.setHost(lease.getOwner().getHost()).setPid(lease.getOwner().getPid());
            }
          } else if (kv.getKey().equals(AimKeys.target(fleet, d))) {
            b.setTargetVersion(
                RolloutEngine.parse(kv.getValue(), TargetRecord.newBuilder()).getVersion());
          } else if (kv.getKey().equals(AimKeys.report(fleet, d))) {
            DroneReport r = RolloutEngine.parse(kv.getValue(), DroneReport.newBuilder()).build();
            b.setLastReport(r);
            if (r.getApplied()) {
              b.setAppliedVersion(r.getVersion());
            }
          }
        });
    List<DroneStatus> out = new ArrayList<>();
    drones.values().forEach(b -> out.add(b.build()));
    return out;
  }

  /**
   * Tells {@code each} every key under the drones of {@code fleet} at {@code revision}, by drone.
   */
  static void scanDrones(
      KeyspaceReader reader, String fleet, long revision, BiConsumer<String, KeyValue> each) {
    ByteString p = AimKeys.dronesPrefix(fleet);
    reader.scan(
        p,
        KeyRanges.prefixEnd(p),
        revision,
        kv -> {
          String d = AimKeys.droneOf(fleet, kv.getKey());
          if (d != null) {
            each.accept(d, kv);
          }
          return true;
        });
  }

  /**
   * The earliest {@link RolloutEngine#stageDeadline stage deadline} of the fleets not on hold
   * (leader time, unix ms), or {@link Long#MAX_VALUE} when no stage can time out.
   */
  long nextStageDeadline() {
    long next = Long.MAX_VALUE;
    for (Rollout r : rollouts()) {
      if (hold(r.getFleet()) == null) {
        next = Math.min(next, RolloutEngine.stageDeadline(r));
      }
    }
    return next;
  }

  /** The latest rollout of every fleet that has had one. */
  List<Rollout> rollouts() {
    List<Rollout> out = new ArrayList<>();
    ByteString p = ByteString.copyFromUtf8(AimKeys.ROLLOUT_INDEX);
    reader.scan(
        p,
        KeyRanges.prefixEnd(p),
        revision,
        kv -> {
          Rollout r = rollout(kv.getKey().toStringUtf8().substring(AimKeys.ROLLOUT_INDEX.length()));
          if (r != null) {
            out.add(r);
          }
          return true;
        });
    return out;
  }
}
