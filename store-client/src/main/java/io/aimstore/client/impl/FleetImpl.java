package io.aimstore.client.impl;

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
import io.aimstore.client.Fleet;
import io.aimstore.client.impl.Connection.Retry;
import java.util.concurrent.CompletableFuture;

/** {@link Fleet} over gRPC with failover. */
public final class FleetImpl implements Fleet {
  private final Connection conn;

  public FleetImpl(Connection conn) {
    this.conn = conn;
  }

  @Override
  public CompletableFuture<ConfigPutResponse> putConfig(ConfigPutRequest r) {
    return conn.call(ConfigsGrpc.getPutMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<ConfigGetResponse> getConfig(String fleet, String name, long version) {
    ConfigGetRequest r =
        ConfigGetRequest.newBuilder().setFleet(fleet).setName(name).setVersion(version).build();
    return conn.call(ConfigsGrpc.getGetMethod(), r, Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<ConfigValidateResponse> validate(AimConfig config) {
    ConfigValidateRequest r = ConfigValidateRequest.newBuilder().setConfig(config).build();
    return conn.call(ConfigsGrpc.getValidateMethod(), r, Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<ConfigHistoryResponse> history(String fleet, String name) {
    ConfigHistoryRequest r =
        ConfigHistoryRequest.newBuilder().setFleet(fleet).setName(name).build();
    return conn.call(ConfigsGrpc.getHistoryMethod(), r, Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<RolloutResponse> start(RolloutStartRequest r) {
    return conn.call(RolloutsGrpc.getStartMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<RolloutResponse> status(String fleet) {
    RolloutRequest r = RolloutRequest.newBuilder().setFleet(fleet).build();
    return conn.call(RolloutsGrpc.getStatusMethod(), r, Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<RolloutResponse> promote(RolloutRequest r) {
    return conn.call(RolloutsGrpc.getPromoteMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<RolloutResponse> pause(RolloutRequest r) {
    return conn.call(RolloutsGrpc.getPauseMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<RolloutResponse> resume(RolloutRequest r) {
    return conn.call(RolloutsGrpc.getResumeMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<RolloutResponse> rollback(RolloutRequest r) {
    return conn.call(RolloutsGrpc.getRollbackMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<DroneReportResponse> report(String fleet, DroneReport report) {
    DroneReportRequest r =
        DroneReportRequest.newBuilder().setFleet(fleet).setReport(report).build();
    return conn.call(RolloutsGrpc.getReportMethod(), r, Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<RolloutResponse> hold(String fleet, String reason) {
    HoldRequest r = HoldRequest.newBuilder().setFleet(fleet).setReason(reason).build();
    return conn.call(RolloutsGrpc.getHoldMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<RolloutResponse> release(String fleet) {
    HoldRequest r = HoldRequest.newBuilder().setFleet(fleet).build();
    return conn.call(RolloutsGrpc.getReleaseMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<FleetStatusResponse> fleetStatus(String fleet) {
    FleetStatusRequest r = FleetStatusRequest.newBuilder().setFleet(fleet).build();
    return conn.call(RolloutsGrpc.getFleetStatusMethod(), r, Retry.IDEMPOTENT);
  }
}
