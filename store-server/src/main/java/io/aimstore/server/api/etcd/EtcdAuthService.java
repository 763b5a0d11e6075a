package io.aimstore.server.api.etcd;

import io.aimstore.etcd.api.AuthDisableRequest;
import io.aimstore.etcd.api.AuthDisableResponse;
import io.aimstore.etcd.api.AuthEnableRequest;
import io.aimstore.etcd.api.AuthEnableResponse;
import io.aimstore.etcd.api.AuthGrpc;
import io.aimstore.etcd.api.AuthRoleAddRequest;
import io.aimstore.etcd.api.AuthRoleAddResponse;
import io.aimstore.etcd.api.AuthRoleDeleteRequest;
import io.aimstore.etcd.api.AuthRoleDeleteResponse;
import io.aimstore.etcd.api.AuthRoleGetRequest;
import io.aimstore.etcd.api.AuthRoleGetResponse;
import io.aimstore.etcd.api.AuthRoleGrantPermissionRequest;
import io.aimstore.etcd.api.AuthRoleGrantPermissionResponse;
import io.aimstore.etcd.api.AuthRoleListRequest;
import io.aimstore.etcd.api.AuthRoleListResponse;
import io.aimstore.etcd.api.AuthRoleRevokePermissionRequest;
import io.aimstore.etcd.api.AuthRoleRevokePermissionResponse;
import io.aimstore.etcd.api.AuthStatusRequest;
import io.aimstore.etcd.api.AuthStatusResponse;
import io.aimstore.etcd.api.AuthUserAddRequest;
import io.aimstore.etcd.api.AuthUserAddResponse;
import io.aimstore.etcd.api.AuthUserChangePasswordRequest;
import io.aimstore.etcd.api.AuthUserChangePasswordResponse;
import io.aimstore.etcd.api.AuthUserDeleteRequest;
import io.aimstore.etcd.api.AuthUserDeleteResponse;
import io.aimstore.etcd.api.AuthUserGetRequest;
import io.aimstore.etcd.api.AuthUserGetResponse;
import io.aimstore.etcd.api.AuthUserGrantRoleRequest;
import io.aimstore.etcd.api.AuthUserGrantRoleResponse;
import io.aimstore.etcd.api.AuthUserListRequest;
import io.aimstore.etcd.api.AuthUserListResponse;
import io.aimstore.etcd.api.AuthUserRevokeRoleRequest;
import io.aimstore.etcd.api.AuthUserRevokeRoleResponse;
import io.aimstore.etcd.api.AuthenticateRequest;
import io.aimstore.etcd.api.AuthenticateResponse;
import io.grpc.stub.StreamObserver;

/**
 * etcd's Auth service is not implemented: aimstore does not use etcd's users and passwords. Who a
 * client is will come from its TLS client certificate, and what it may do from aimstore's roles on
 * key prefixes; every call here says so.
 */
final class EtcdAuthService extends AuthGrpc.AuthImplBase {
  static final String WHY =
      "aimstore does not use etcd users and passwords: identities come from client certificates"
          + " (mutual TLS) and permissions from aimstore's roles on key prefixes";

  @Override
  public void authEnable(AuthEnableRequest req, StreamObserver<AuthEnableResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void authDisable(AuthDisableRequest req, StreamObserver<AuthDisableResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void authStatus(AuthStatusRequest req, StreamObserver<AuthStatusResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void authenticate(AuthenticateRequest req, StreamObserver<AuthenticateResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void userAdd(AuthUserAddRequest req, StreamObserver<AuthUserAddResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void userGet(AuthUserGetRequest req, StreamObserver<AuthUserGetResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void userList(AuthUserListRequest req, StreamObserver<AuthUserListResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void userDelete(AuthUserDeleteRequest req, StreamObserver<AuthUserDeleteResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void userChangePassword(
      AuthUserChangePasswordRequest req, StreamObserver<AuthUserChangePasswordResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void userGrantRole(
      AuthUserGrantRoleRequest req, StreamObserver<AuthUserGrantRoleResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void userRevokeRole(
      AuthUserRevokeRoleRequest req, StreamObserver<AuthUserRevokeRoleResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void roleAdd(AuthRoleAddRequest req, StreamObserver<AuthRoleAddResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void roleGet(AuthRoleGetRequest req, StreamObserver<AuthRoleGetResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void roleList(AuthRoleListRequest req, StreamObserver<AuthRoleListResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void roleDelete(AuthRoleDeleteRequest req, StreamObserver<AuthRoleDeleteResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void roleGrantPermission(
      AuthRoleGrantPermissionRequest req, StreamObserver<AuthRoleGrantPermissionResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }

  @Override
  public void roleRevokePermission(
      AuthRoleRevokePermissionRequest req, StreamObserver<AuthRoleRevokePermissionResponse> obs) {
    obs.onError(EtcdErrors.unimplemented(WHY));
  }
}
