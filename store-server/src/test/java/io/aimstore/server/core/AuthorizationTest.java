package io.aimstore.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.Binding;
import io.aimstore.api.v1.Grant;
import io.aimstore.api.v1.LeaseAdoptRequest;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.Role;
import io.aimstore.internal.AuthChange;
import io.aimstore.internal.Command;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.LeaseGrant;
import io.aimstore.internal.LeaseRevoke;
import io.aimstore.internal.LockAcquire;
import io.aimstore.internal.RevokeReason;
import org.junit.jupiter.api.Test;

/**
 * Apply decides what depends on state: roles in force at the command's place in the log, and who
 * owns a lease. Every refusal leaves no trace.
 */
class AuthorizationTest extends CoreTest {
  static final String D7 = "spiffe://aimstore/fleet/f1/drone/d7";
  static final String D8 = "spiffe://aimstore/fleet/f1/drone/d8";
  static final String OP = "spiffe://aimstore/operator/alice";
  static final String CI = "spiffe://aimstore/client/ci";
  static final Owner OWNER = Owner.newBuilder().setName("t").setHost("h").setPid(1).build();

  static Command as(String caller, Command c) {
    return c.toBuilder().setCaller(caller).build();
  }

  long grantAs(String caller) {
    return h.ok(
            as(
                caller,
                Command.newBuilder()
                    .setLeaseGrant(LeaseGrant.newBuilder().setTtlSeconds(60).setOwner(OWNER))
                    .build()))
        .getLeaseGrant()
        .getId();
  }

  Command put(String key, long lease) {
    return CoreHarness.Cmd.put(
        PutRequest.newBuilder()
            .setKey(CoreHarness.bs(key))
            .setValue(CoreHarness.bs("up"))
            .setLease(lease));
  }

  @Test
  void leasesBelongToTheIdentityThatGrantedThem() {
    long l7 = grantAs(D7);
    assertThat(h.store().lease(l7).getIdentity()).isEqualTo(D7);
    h.ok(as(D7, put("/aim/f1/drones/d7/presence", l7)));
    // another drone may not revoke, adopt or queue a lock claim on it
    String revoke =
        h.fails(
            as(D8, Command.newBuilder().setLeaseRevoke(LeaseRevoke.newBuilder().setId(l7)).build()),
            ErrorCode.PERMISSION_DENIED);
    assertThat(revoke).contains(D8).contains("revoke lease " + l7).contains("belongs to " + D7);
    h.fails(
        as(
            D8,
            Command.newBuilder()
                .setLeaseAdopt(LeaseAdoptRequest.newBuilder().setId(l7).setOwner(OWNER))
                .build()),
        ErrorCode.PERMISSION_DENIED);
    assertThat(h.store().audit(0, 10)).isEmpty();
    // an operator may, and it is audited with both identities
    h.ok(
        as(
            OP,
            Command.newBuilder()
                .setLeaseRevoke(
                    LeaseRevoke.newBuilder()
                        .setId(l7)
                        .setReason(RevokeReason.REVOKED)
                        .setNote("lost"))
                .build()));
    AuditRecord a = h.store().audit(0, 10).get(0);
    assertThat(a.getAction()).isEqualTo("lease-revoke");
    assertThat(a.getOperator()).isEqualTo(OP);
    assertThat(a.getHolderIdentity()).isEqualTo(D7);
    assertThat(a.getReason()).isEqualTo("lost");
    assertThat(h.get("/aim/f1/drones/d7/presence")).isNull();
  }

  @Test
  void aLockIsHeldOnTheHoldersOwnLeaseEvenByAnAdmin() {
    long l7 = grantAs(D7);
    h.fails(
        as(
            OP,
            Command.newBuilder()
                .setLockAcquire(LockAcquire.newBuilder().setName("x").setLease(l7))
                .build()),
        ErrorCode.FAILED_PRECONDITION);
    // drones hold no LOCK permission at all
    h.fails(
        as(
            D7,
            Command.newBuilder()
                .setLockAcquire(LockAcquire.newBuilder().setName("x").setLease(l7))
                .build()),
        ErrorCode.PERMISSION_DENIED);
  }

  @Test
  void roleChangesTakeEffectAtTheirPlaceInTheLogAndAreAudited() {
    Command ciWrite = as(CI, CoreHarness.Cmd.put("/scratch/ci/a", "1"));
    h.fails(ciWrite, ErrorCode.PERMISSION_DENIED);
    Role role =
        Role.newBuilder()
            .setName("scratch")
            .addGrants(
                Grant.newBuilder().setPrefix("/scratch/{name}/").addPermissions(Permission.WRITE))
            .build();
    Binding binding =
        Binding.newBuilder()
            .setName("ci")
            .setIdentityPattern("spiffe://aimstore/client/{name}")
            .addRoles("scratch")
            .build();
    // a non-admin may not change roles
    h.fails(
        as(
            CI,
            Command.newBuilder()
                .setAuthChange(AuthChange.newBuilder().setRolePut(role).setReason("me"))
                .build()),
        ErrorCode.PERMISSION_DENIED);
    // in one entry: the role, the binding, then the write it allows
    var r =
        h.applyEntry(
            as(
                OP,
                Command.newBuilder()
                    .setAuthChange(AuthChange.newBuilder().setRolePut(role).setReason("r"))
                    .build()),
            as(
                OP,
                Command.newBuilder()
                    .setAuthChange(AuthChange.newBuilder().setBindingPut(binding).setReason("b"))
                    .build()),
            ciWrite);
    assertThat(r.results()).noneMatch(c -> c.hasError());
    assertThat(h.store().policy().accessOf(CI).roles()).containsExactly("scratch");
    assertThat(h.store().audit(0, 10))
        .extracting(AuditRecord::getAction)
        .containsExactly("role-put", "binding-put");
    // a role still bound cannot go; built-ins cannot change
    h.fails(
        as(
            OP,
            Command.newBuilder()
                .setAuthChange(AuthChange.newBuilder().setRoleDelete("scratch").setReason("x"))
                .build()),
        ErrorCode.FAILED_PRECONDITION);
    h.fails(
        as(
            OP,
            Command.newBuilder()
                .setAuthChange(AuthChange.newBuilder().setRoleDelete("admin").setReason("x"))
                .build()),
        ErrorCode.FAILED_PRECONDITION);
    // the policy survives a reopen
    h.reopen();
    assertThat(h.store().policy().accessOf(CI).roles()).containsExactly("scratch");
  }

  @Test
  void onlyTheStoreExpiresLeases() {
    long l = grantAs(D7);
    h.fails(
        as(
            D7,
            Command.newBuilder()
                .setLeaseRevoke(LeaseRevoke.newBuilder().setId(l).setReason(RevokeReason.EXPIRED))
                .build()),
        ErrorCode.PERMISSION_DENIED);
    h.ok(
        Command.newBuilder()
            .setLeaseRevoke(LeaseRevoke.newBuilder().setId(l).setReason(RevokeReason.EXPIRED))
            .build());
  }

  @Test
  void aBlockedIdentityMayDoNothingUntilUnblocked() {
    long l7 = grantAs(D7);
    Command block =
        as(
            OP,
            Command.newBuilder()
                .setAuthChange(AuthChange.newBuilder().setIdentityBlock(D7).setReason("stolen"))
                .build());
    h.ok(block);
    assertThat(h.fails(as(D7, put("/aim/f1/drones/d7/presence", l7)), ErrorCode.PERMISSION_DENIED))
        .contains(D7 + " is blocked");
    assertThat(h.store().policy().blocked()).containsExactly(D7);
    h.fails(
        as(
            OP,
            Command.newBuilder()
                .setAuthChange(AuthChange.newBuilder().setIdentityBlock(OP).setReason("oops"))
                .build()),
        ErrorCode.FAILED_PRECONDITION);
    h.ok(
        as(
            OP,
            Command.newBuilder()
                .setAuthChange(AuthChange.newBuilder().setIdentityUnblock(D7).setReason("found"))
                .build()));
    h.ok(as(D7, put("/aim/f1/drones/d7/presence", l7)));
    assertThat(h.store().audit(0, 10))
        .extracting(AuditRecord::getAction)
        .containsExactly("identity-block", "identity-unblock");
  }
}
