package io.aimstore.client.impl;

import io.aimstore.api.v1.AuthChangeResponse;
import io.aimstore.api.v1.AuthGrpc;
import io.aimstore.api.v1.Binding;
import io.aimstore.api.v1.BindingDeleteRequest;
import io.aimstore.api.v1.BindingListRequest;
import io.aimstore.api.v1.BindingListResponse;
import io.aimstore.api.v1.BindingPutRequest;
import io.aimstore.api.v1.IdentityBlockRequest;
import io.aimstore.api.v1.Role;
import io.aimstore.api.v1.RoleDeleteRequest;
import io.aimstore.api.v1.RoleListRequest;
import io.aimstore.api.v1.RoleListResponse;
import io.aimstore.api.v1.RolePutRequest;
import io.aimstore.api.v1.WhoAmIRequest;
import io.aimstore.api.v1.WhoAmIResponse;
import io.aimstore.client.Auth;
import io.aimstore.client.impl.Connection.Retry;
import java.util.concurrent.CompletableFuture;

/** {@link Auth} over gRPC with failover. */
public final class AuthImpl implements Auth {
  private final Connection conn;

  public AuthImpl(Connection conn) {
    this.conn = conn;
  }

  @Override
  public CompletableFuture<AuthChangeResponse> putRole(Role role, String reason) {
    RolePutRequest r = RolePutRequest.newBuilder().setRole(role).setReason(reason).build();
    return conn.call(AuthGrpc.getRolePutMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<AuthChangeResponse> deleteRole(String name, String reason) {
    RoleDeleteRequest r = RoleDeleteRequest.newBuilder().setName(name).setReason(reason).build();
    return conn.call(AuthGrpc.getRoleDeleteMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<RoleListResponse> roles() {
    return conn.call(
        AuthGrpc.getRoleListMethod(), RoleListRequest.getDefaultInstance(), Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<AuthChangeResponse> putBinding(Binding binding, String reason) {
    BindingPutRequest r =
        BindingPutRequest.newBuilder().setBinding(binding).setReason(reason).build();
    return conn.call(AuthGrpc.getBindingPutMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<AuthChangeResponse> deleteBinding(String name, String reason) {
    BindingDeleteRequest r =
        BindingDeleteRequest.newBuilder().setName(name).setReason(reason).build();
    return conn.call(AuthGrpc.getBindingDeleteMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<BindingListResponse> bindings() {
    return conn.call(
        AuthGrpc.getBindingListMethod(), BindingListRequest.getDefaultInstance(), Retry.IDEMPOTENT);
  }

  @Override
  public CompletableFuture<AuthChangeResponse> block(String identity, String reason) {
    IdentityBlockRequest r =
        IdentityBlockRequest.newBuilder().setIdentity(identity).setReason(reason).build();
    return conn.call(AuthGrpc.getBlockMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<AuthChangeResponse> unblock(String identity, String reason) {
    IdentityBlockRequest r =
        IdentityBlockRequest.newBuilder().setIdentity(identity).setReason(reason).build();
    return conn.call(AuthGrpc.getUnblockMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<WhoAmIResponse> whoAmI() {
    return conn.call(
        AuthGrpc.getWhoAmIMethod(), WhoAmIRequest.getDefaultInstance(), Retry.IDEMPOTENT);
  }
}
