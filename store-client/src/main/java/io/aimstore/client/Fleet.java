package io.aimstore.client;

import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.ConfigGetRequest;
import io.aimstore.api.v1.ConfigGetResponse;
import io.aimstore.api.v1.ConfigHistoryRequest;
import io.aimstore.api.v1.ConfigHistoryResponse;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.ConfigPutResponse;
import io.aimstore.api.v1.ConfigValidateRequest;
import io.aimstore.api.v1.ConfigValidateResponse;
import io.aimstore.api.v1.ConfigsGrpc;
import io.aimstore.api.v1.DroneReport;
import io.aimstore.api.v1.DroneReportRequest;
import io.aimstore.api.v1.DroneReportResponse;
import io.aimstore.api.v1.FleetStatusRequest;
import io.aimstore.api.v1.FleetStatusResponse;
import io.aimstore.api.v1.HoldRequest;
import io.aimstore.api.v1.RolloutRequest;
import io.aimstore.api.v1.RolloutResponse;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.api.v1.RolloutsGrpc;
import io.aimstore.client.impl.Connection;
import io.aimstore.client.impl.Connection.Retry;
import java.util.concurrent.CompletableFuture;

/** Aim configs, rollouts and the fleet hold point (see aim.proto). */
public final class Fleet {
  private final Connection conn;

  Fleet(Connection conn) {
    this.conn = conn;
  }

  private ConfigsGrpc.ConfigsFutureStub configs(io.grpc.Channel ch) {
    return ConfigsGrpc.newFutureStub(ch).withDeadline(conn.attemptOptions().getDeadline());
  }

  private RolloutsGrpc.RolloutsFutureStub rollouts(io.grpc.Channel ch) {
    return RolloutsGrpc.newFutureStub(ch).withDeadline(conn.attemptOptions().getDeadline());
  }

  public CompletableFuture<ConfigPutResponse> putConfig(ConfigPutRequest r) {
    return conn.call(ch -> configs(ch).put(r), Retry.IF_NOT_APPLIED);
  }

  public CompletableFuture<ConfigGetResponse> getConfig(String fleet, String name, long version) {
    ConfigGetRequest r =
        ConfigGetRequest.newBuilder().setFleet(fleet).setName(name).setVersion(version).build();
    return conn.call(ch -> configs(ch).get(r), Retry.IDEMPOTENT);
  }

  public CompletableFuture<ConfigValidateResponse> validate(AimConfig config) {
    ConfigValidateRequest r = ConfigValidateRequest.newBuilder().setConfig(config).build();
    return conn.call(ch -> configs(ch).validate(r), Retry.IDEMPOTENT);
  }

  public CompletableFuture<ConfigHistoryResponse> history(String fleet, String name) {
    ConfigHistoryRequest r =
        ConfigHistoryRequest.newBuilder().setFleet(fleet).setName(name).build();
    return conn.call(ch -> configs(ch).history(r), Retry.IDEMPOTENT);
  }

  public CompletableFuture<RolloutResponse> start(RolloutStartRequest r) {
    return conn.call(ch -> rollouts(ch).start(r), Retry.IF_NOT_APPLIED);
  }

  public CompletableFuture<RolloutResponse> status(String fleet) {
    RolloutRequest r = RolloutRequest.newBuilder().setFleet(fleet).build();
    return conn.call(ch -> rollouts(ch).status(r), Retry.IDEMPOTENT);
  }

  public CompletableFuture<RolloutResponse> promote(RolloutRequest r) {
    return conn.call(ch -> rollouts(ch).promote(r), Retry.IF_NOT_APPLIED);
  }

  public CompletableFuture<RolloutResponse> pause(RolloutRequest r) {
    return conn.call(ch -> rollouts(ch).pause(r), Retry.IF_NOT_APPLIED);
  }

  public CompletableFuture<RolloutResponse> resume(RolloutRequest r) {
    return conn.call(ch -> rollouts(ch).resume(r), Retry.IF_NOT_APPLIED);
  }

  public CompletableFuture<RolloutResponse> rollback(RolloutRequest r) {
    return conn.call(ch -> rollouts(ch).rollback(r), Retry.IF_NOT_APPLIED);
  }

  public CompletableFuture<DroneReportResponse> report(String fleet, DroneReport report) {
    DroneReportRequest r =
        DroneReportRequest.newBuilder().setFleet(fleet).setReport(report).build();
    return conn.call(ch -> rollouts(ch).report(r), Retry.IDEMPOTENT);
  }

  public CompletableFuture<RolloutResponse> hold(String fleet, String reason, String operator) {
    HoldRequest r =
        HoldRequest.newBuilder().setFleet(fleet).setReason(reason).setOperator(operator).build();
    return conn.call(ch -> rollouts(ch).hold(r), Retry.IF_NOT_APPLIED);
  }

  public CompletableFuture<RolloutResponse> release(String fleet, String operator) {
    HoldRequest r = HoldRequest.newBuilder().setFleet(fleet).setOperator(operator).build();
    return conn.call(ch -> rollouts(ch).release(r), Retry.IF_NOT_APPLIED);
  }

  public CompletableFuture<FleetStatusResponse> fleetStatus(String fleet) {
    FleetStatusRequest r = FleetStatusRequest.newBuilder().setFleet(fleet).build();
    return conn.call(ch -> rollouts(ch).fleetStatus(r), Retry.IDEMPOTENT);
  }
}
