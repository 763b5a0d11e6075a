package io.aimstore.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.MemberRecord;
import io.aimstore.internal.Command;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.MemberChange;
import org.junit.jupiter.api.Test;

/** Membership changes in the core: admin only, a reason each, member records, audit records. */
class MemberChangeTest extends CoreTest {
  static final String OP = "spiffe://aimstore/operator/alice";
  static final String CI = "spiffe://aimstore/client/ci";

  static MemberRecord record(String name, int port) {
    return MemberRecord.newBuilder()
        .setName(name)
        .setRaftAddress("10.0.0.4:" + (port + 10))
        .setClientAddress("10.0.0.4:" + port)
        .build();
  }

  static Command change(String caller, MemberChange.Builder c) {
    return Command.newBuilder().setMemberChange(c).setCaller(caller).build();
  }

  @Test
  void anAdminAddsAndRemovesMembersWithAReasonEachAudited() {
    h.ok(change(OP, MemberChange.newBuilder().setPut(record("n4", 7401)).setReason("grow")));
    assertThat(h.store().members()).containsOnlyKeys("n4");
    assertThat(h.store().members().get("n4").getClientAddress()).isEqualTo("10.0.0.4:7401");

    // added again (a retry after a failed configuration change): the record is replaced
    h.ok(change(OP, MemberChange.newBuilder().setPut(record("n4", 7501)).setReason("retry")));
    assertThat(h.store().members().get("n4").getClientAddress()).isEqualTo("10.0.0.4:7501");

    h.ok(change(OP, MemberChange.newBuilder().setPromote("n4").setReason("caught up")));
    h.ok(change(OP, MemberChange.newBuilder().setTransferLeader("n4").setReason("maintenance")));
    h.ok(change(OP, MemberChange.newBuilder().setRemove("n4").setReason("host retired")));
    assertThat(h.store().members()).isEmpty();
    // removing a member of the first configuration (no record) is audited too
    h.ok(change(OP, MemberChange.newBuilder().setRemove("n2").setReason("dead host")));

    assertThat(h.store().audit(0, 10))
        .extracting(AuditRecord::getAction, AuditRecord::getOperator, AuditRecord::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("member-add", OP, "grow"),
            org.assertj.core.groups.Tuple.tuple("member-add", OP, "retry"),
            org.assertj.core.groups.Tuple.tuple("member-promote", OP, "caught up"),
            org.assertj.core.groups.Tuple.tuple("member-transfer-leader", OP, "maintenance"),
            org.assertj.core.groups.Tuple.tuple("member-remove", OP, "host retired"),
            org.assertj.core.groups.Tuple.tuple("member-remove", OP, "dead host"));
    // the records survive a reopen (and so a restart)
    h.reopen();
    assertThat(h.store().audit(0, 10)).hasSize(6);
  }

  @Test
  void refusals() {
    h.fails(
        change(CI, MemberChange.newBuilder().setPut(record("n4", 7401)).setReason("me")),
        ErrorCode.PERMISSION_DENIED);
    h.fails(
        change(OP, MemberChange.newBuilder().setPut(record("n4", 7401))),
        ErrorCode.INVALID_ARGUMENT);
    h.fails(
        change(OP, MemberChange.newBuilder().setPut(record("N 4", 7401)).setReason("x")),
        ErrorCode.INVALID_ARGUMENT);
    h.fails(
        change(
            OP,
            MemberChange.newBuilder()
                .setPut(record("n4", 7401).toBuilder().setRaftAddress("nowhere"))
                .setReason("x")),
        ErrorCode.INVALID_ARGUMENT);
    h.ok(change(OP, MemberChange.newBuilder().setPut(record("n4", 7401)).setReason("x")));
    // another member at n4's addresses
    h.fails(
        change(OP, MemberChange.newBuilder().setPut(record("n5", 7401)).setReason("x")),
        ErrorCode.FAILED_PRECONDITION);
    assertThat(h.store().members()).containsOnlyKeys("n4");
    assertThat(h.store().audit(0, 10)).hasSize(1);
  }
}
