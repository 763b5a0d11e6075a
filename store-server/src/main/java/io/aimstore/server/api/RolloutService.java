package io.aimstore.server.api;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.DroneReportRequest;
import io.aimstore.api.v1.DroneReportResponse;
import io.aimstore.api.v1.FleetStatusRequest;
import io.aimstore.api.v1.FleetStatusResponse;
import io.aimstore.api.v1.HoldRequest;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.RolloutRequest;
import io.aimstore.api.v1.RolloutResponse;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.api.v1.RolloutsGrpc;
import io.aimstore.internal.Command;
import io.aimstore.internal.FleetHold;
import io.aimstore.internal.RolloutAction;
import io.aimstore.server.core.AimKeys;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** Staged rollouts, drone reports and the fleet hold point: every transition is one command. */
public final class RolloutService extends RolloutsGrpc.RolloutsImplBase {
  private final Calls calls;

  public RolloutService(Calls calls) {
    this.calls = calls;
  }

  @Override
  public void start(RolloutStartRequest req, StreamObserver<RolloutResponse> obs) {
    Replies.run(
        () -> {
          if (req.getAckTimeoutMs() < 0) {
            throw StoreException.invalid("ack_timeout_ms must be >= 0");
          }
          return propose(Command.newBuilder().setRolloutStart(req));
        },
        obs);
  }

  @Override
  public void promote(RolloutRequest req, StreamObserver<RolloutResponse> obs) {
    action(RolloutAction.Kind.PROMOTE, req, obs);
  }

  @Override
  public void pause(RolloutRequest req, StreamObserver<RolloutResponse> obs) {
    action(RolloutAction.Kind.PAUSE, req, obs);
  }

  @Override
  public void resume(RolloutRequest req, StreamObserver<RolloutResponse> obs) {
    action(RolloutAction.Kind.RESUME, req, obs);
  }

  @Override
  public void rollback(RolloutRequest req, StreamObserver<RolloutResponse> obs) {
    action(RolloutAction.Kind.ROLLBACK, req, obs);
  }

  private void action(
      RolloutAction.Kind kind, RolloutRequest req, StreamObserver<RolloutResponse> obs) {
    Replies.run(
        () ->
            propose(
                Command.newBuilder()
                    .setRolloutAction(RolloutAction.newBuilder().setKind(kind).setRequest(req))),
        obs);
  }

  @Override
  public void hold(HoldRequest req, StreamObserver<RolloutResponse> obs) {
    Replies.run(
        () ->
            propose(
                Command.newBuilder()
                    .setFleetHold(FleetHold.newBuilder().setRequest(req).setHold(true))),
        obs);
  }

  @Override
  public void release(HoldRequest req, StreamObserver<RolloutResponse> obs) {
    Replies.run(
        () ->
            propose(
                Command.newBuilder()
                    .setFleetHold(FleetHold.newBuilder().setRequest(req).setHold(false))),
        obs);
  }

  @Override
  public void report(DroneReportRequest req, StreamObserver<DroneReportResponse> obs) {
    Replies.run(
        () ->
            calls
                .writes()
                .submit(Command.newBuilder().setDroneReport(req))
                .thenApply(
                    r ->
                        DroneReportResponse.newBuilder()
                            .setHeader(calls.headers().at(r.getRevision()))
                            .setRollout(r.getRollout())
                            .build()),
        obs);
  }

  private CompletableFuture<RolloutResponse> propose(Command.Builder c) {
    return calls
        .writes()
        .submit(c)
        .thenApply(
            r ->
                RolloutResponse.newBuilder()
                    .setHeader(calls.headers().at(r.getRevision()))
                    .setRollout(r.getRollout())
                    .build());
  }

  @Override
  public void status(RolloutRequest req, StreamObserver<RolloutResponse> obs) {
    calls.read(
        obs,
        () ->
            calls
                .guard()
                .require(Permission.READ, AimKeys.rollout(req.getFleet()), ByteString.EMPTY),
        s -> {
          Store.FleetView f = s.fleet(req.getFleet());
          if (f.rollout() == null) {
            throw StoreException.notFound("fleet " + req.getFleet() + " has no rollout");
          }
          return RolloutResponse.newBuilder().setRollout(f.rollout()).build();
        });
  }

  @Override
  public void fleetStatus(FleetStatusRequest req, StreamObserver<FleetStatusResponse> obs) {
    calls.read(
        obs,
        () -> {
          ByteString drones = AimKeys.dronesPrefix(req.getFleet());
          calls.guard().require(Permission.READ, drones, KeyRanges.prefixEnd(drones));
        },
        s -> {
          Store.FleetView f = s.fleet(req.getFleet());
          FleetStatusResponse.Builder b = FleetStatusResponse.newBuilder().addAllDrones(f.drones());
          if (f.hold() != null) {
            b.setHold(f.hold());
          }
          if (f.rollout() != null) {
            b.setRollout(f.rollout());
          }
          return b.build();
        });
  }
}
