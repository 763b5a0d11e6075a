package io.aimstore.client.impl;

import io.aimstore.api.v1.ClusterGrpc;
import io.aimstore.api.v1.MemberAddRequest;
import io.aimstore.api.v1.MemberChangeResponse;
import io.aimstore.api.v1.MemberListRequest;
import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.api.v1.MemberPromoteRequest;
import io.aimstore.api.v1.MemberRemoveRequest;
import io.aimstore.api.v1.MemberTransferLeaderRequest;
import io.aimstore.api.v1.StatusRequest;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.client.ClusterApi;
import io.aimstore.client.impl.Connection.Retry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** {@link ClusterApi} over gRPC with failover. */
public final class ClusterImpl implements ClusterApi {
  private final Connection conn;

  public ClusterImpl(Connection conn) {
    this.conn = conn;
  }

  @Override
  public CompletableFuture<StatusResponse> status(String member) {
    StatusRequest r = StatusRequest.newBuilder().setMember(member == null ? "" : member).build();
    return conn.call(ClusterGrpc.getStatusMethod(), r, Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<StatusResponse> statusAt(String endpoint, Duration timeout) {
    int index = conn.endpoints().indexOf(endpoint);
    if (index < 0) {
      throw new IllegalArgumentException(
          endpoint + " is not one of this client's endpoints " + conn.endpoints());
    }
    StatusRequest r = StatusRequest.getDefaultInstance();
    return conn.callOnce(
        index, ch -> Connection.unary(ch, ClusterGrpc.getStatusMethod(), r), timeout);
  }

  @Override
  public CompletableFuture<MemberListResponse> members() {
    return conn.call(
        ClusterGrpc.getMemberListMethod(),
        MemberListRequest.getDefaultInstance(),
        Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<MemberListResponse> membersFromLeader() {
    MemberListRequest r = MemberListRequest.newBuilder().setFromLeader(true).build();
    return conn.call(ClusterGrpc.getMemberListMethod(), r, Retry.IDEMPOTENT_AT_LEADER);
  }

  @Override
  public CompletableFuture<MemberChangeResponse> addMember(MemberAddRequest request) {
    return conn.call(ClusterGrpc.getMemberAddMethod(), request, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<MemberChangeResponse> removeMember(String name, String reason) {
    MemberRemoveRequest r =
        MemberRemoveRequest.newBuilder().setName(name).setReason(nonNull(reason)).build();
    return conn.call(ClusterGrpc.getMemberRemoveMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<MemberChangeResponse> promoteMember(String name, String reason) {
    MemberPromoteRequest r =
        MemberPromoteRequest.newBuilder().setName(name).setReason(nonNull(reason)).build();
    return conn.call(ClusterGrpc.getMemberPromoteMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<MemberChangeResponse> transferLeadership(String name, String reason) {
    MemberTransferLeaderRequest r =
        MemberTransferLeaderRequest.newBuilder().setName(name).setReason(nonNull(reason)).build();
    return conn.call(ClusterGrpc.getMemberTransferLeaderMethod(), r, Retry.IF_NOT_APPLIED);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
