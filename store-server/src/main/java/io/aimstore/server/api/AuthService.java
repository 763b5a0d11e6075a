package io.aimstore.server.api;

import io.aimstore.api.v1.AuthChangeResponse;
import io.aimstore.api.v1.AuthGrpc;
import io.aimstore.api.v1.BindingDeleteRequest;
import io.aimstore.api.v1.BindingListRequest;
import io.aimstore.api.v1.BindingListResponse;
import io.aimstore.api.v1.BindingPutRequest;
import io.aimstore.api.v1.IdentityBlockRequest;
import io.aimstore.api.v1.RoleDeleteRequest;
import io.aimstore.api.v1.RoleListRequest;
import io.aimstore.api.v1.RoleListResponse;
import io.aimstore.api.v1.RolePutRequest;
import io.aimstore.api.v1.WhoAmIRequest;
import io.aimstore.api.v1.WhoAmIResponse;
import io.aimstore.internal.AuthChange;
import io.aimstore.internal.Command;
import io.aimstore.server.core.Access;
import io.aimstore.server.core.Store;
import io.grpc.stub.StreamObserver;

/**
 * The Auth API: roles and bindings change through the log (admin only, audited); anyone may ask who
 * they are and what they may do.
 */
public final class AuthService extends AuthGrpc.AuthImplBase {
  private final Calls calls;

  public AuthService(Calls calls) {
    this.calls = calls;
  }

  @Override
  public void rolePut(RolePutRequest req, StreamObserver<AuthChangeResponse> obs) {
    change(AuthChange.newBuilder().setRolePut(req.getRole()).setReason(req.getReason()), obs);
  }

  @Override
  public void roleDelete(RoleDeleteRequest req, StreamObserver<AuthChangeResponse> obs) {
    change(AuthChange.newBuilder().setRoleDelete(req.getName()).setReason(req.getReason()), obs);
  }

  @Override
  public void bindingPut(BindingPutRequest req, StreamObserver<AuthChangeResponse> obs) {
    change(AuthChange.newBuilder().setBindingPut(req.getBinding()).setReason(req.getReason()), obs);
  }

  @Override
  public void bindingDelete(BindingDeleteRequest req, StreamObserver<AuthChangeResponse> obs) {
    change(AuthChange.newBuilder().setBindingDelete(req.getName()).setReason(req.getReason()), obs);
  }

  @Override
  public void block(IdentityBlockRequest req, StreamObserver<AuthChangeResponse> obs) {
    change(
        AuthChange.newBuilder().setIdentityBlock(req.getIdentity()).setReason(req.getReason()),
        obs);
  }

  @Override
  public void unblock(IdentityBlockRequest req, StreamObserver<AuthChangeResponse> obs) {
    change(
        AuthChange.newBuilder().setIdentityUnblock(req.getIdentity()).setReason(req.getReason()),
        obs);
  }

  private void change(AuthChange.Builder c, StreamObserver<AuthChangeResponse> obs) {
    Replies.run(
        () ->
            calls
                .writes()
                .submit(Command.newBuilder().setAuthChange(c))
                .thenApply(
                    r ->
                        AuthChangeResponse.newBuilder()
                            .setHeader(calls.headers().at(r.getRevision()))
                            .setAudit(r.getAuthChange())
                            .build()),
        obs);
  }

  @Override
  public void roleList(RoleListRequest req, StreamObserver<RoleListResponse> obs) {
    calls.read(
        obs,
        () -> calls.guard().access().requireAdmin("list roles"),
        s -> RoleListResponse.newBuilder().addAllRoles(s.policy().roles()).build());
  }

  @Override
  public void bindingList(BindingListRequest req, StreamObserver<BindingListResponse> obs) {
    calls.read(
        obs,
        () -> calls.guard().access().requireAdmin("list bindings"),
        s ->
            BindingListResponse.newBuilder()
                .addAllBindings(s.policy().bindings())
                .addAllBlocked(s.policy().blocked())
                .build());
  }

  @Override
  public void whoAmI(WhoAmIRequest req, StreamObserver<WhoAmIResponse> obs) {
    Replies.run(
        () -> {
          String identity = Caller.identity();
          return calls
              .reads()
              .serializable(Store::policy)
              .thenApply(
                  policy -> {
                    Access a = policy.accessOf(identity);
                    return WhoAmIResponse.newBuilder()
                        .setHeader(calls.headers().at(0))
                        .setIdentity(a.identity())
                        .addAllRoles(a.roles())
                        .addAllBindings(a.bindings())
                        .addAllGrants(a.grants())
                        .setAdmin(a.admin())
                        .build();
                  });
        },
        obs);
  }
}
