package io.aimstore.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Binding;
import io.aimstore.api.v1.Grant;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Identities to permissions: patterns, templated prefixes, ranges, default deny. */
class AccessPolicyTest {
  static final String DRONE = "spiffe://aimstore/fleet/f1/drone/d7";

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void patternsCaptureWholeSegmentsAndATailMatchesOneOrMore() {
    IdentityPattern p = IdentityPattern.parse("spiffe://aimstore/fleet/{fleet}/drone/{drone}");
    assertThat(p.match(DRONE))
        .hasValueSatisfying(
            m -> assertThat(m).containsEntry("fleet", "f1").containsEntry("drone", "d7"));
    assertThat(p.match("spiffe://aimstore/fleet/f1/drone")).isEmpty();
    assertThat(p.match("spiffe://aimstore/fleet/f1/drone/d7/x")).isEmpty();
    assertThat(p.match("spiffe://aimstore/fleet//drone/d7")).isEmpty();
    IdentityPattern ops = IdentityPattern.parse("spiffe://aimstore/operator/*");
    assertThat(ops.match("spiffe://aimstore/operator/alice")).isPresent();
    assertThat(ops.match("spiffe://aimstore/operator/team/bob")).isPresent();
    assertThat(ops.match("spiffe://aimstore/operator")).isEmpty();
    assertThat(ops.match("spiffe://aimstore/operators/alice")).isEmpty();
  }

  @Test
  void malformedPatternsAreRefusedWithTheReason() {
    for (String bad :
        List.of("", "spiffe://x/*/y", "spiffe://x/{Fleet}", "spiffe://x/a{b}", "spiffe://x/{b")) {
      assertThatThrownBy(() -> IdentityPattern.parse(bad)).isInstanceOf(StoreException.class);
    }
  }

  @Test
  void aDroneGetsItsFleetsAndOwnKeysAndNothingElse() {
    Access a = AccessPolicy.BUILTIN.accessOf(DRONE);
    assertThat(a.roles()).containsExactly("drone");
    assertThat(a.admin()).isFalse();
    assertThat(a.allows(Permission.READ, bs("/aim/f1/configs/aim"), ByteString.EMPTY)).isTrue();
    assertThat(a.allows(Permission.WATCH, bs("/aim/f1/drones/d7/target"), ByteString.EMPTY))
        .isTrue();
    assertThat(a.allows(Permission.WRITE, bs("/aim/f1/drones/d7/presence"), ByteString.EMPTY))
        .isTrue();
    assertThat(a.allows(Permission.WRITE, bs("/aim/f1/drones/d8/presence"), ByteString.EMPTY))
        .isFalse();
    assertThat(a.allows(Permission.READ, bs("/aim/f2/configs/aim"), ByteString.EMPTY)).isFalse();
    assertThat(a.allows(Permission.WRITE, bs("/aim/f1/configs/aim"), ByteString.EMPTY)).isFalse();
    assertThat(a.holds(Permission.LEASE)).isTrue();
    assertThat(a.holds(Permission.LOCK)).isFalse();
  }

  @Test
  void aRangeNeedsOneGrantCoveringAllOfIt() {
    Access a = AccessPolicy.BUILTIN.accessOf(DRONE);
    ByteString p = bs("/aim/f1/drones/d7/");
    assertThat(a.allows(Permission.READ, p, KeyRanges.prefixEnd(p))).isTrue();
    assertThat(a.allows(Permission.READ, bs("/aim/f1/drones/d7/"), bs("/aim/f1/drones/d8/")))
        .isFalse();
    assertThat(a.allows(Permission.READ, p, KeyRanges.ALL_FROM_KEY)).isFalse();
    assertThat(a.allows(Permission.READ, bs("/aim/f1/"), KeyRanges.prefixEnd(bs("/aim/f1/"))))
        .isFalse();
    Access reader =
        new AccessPolicy(
                List.of(),
                List.of(
                    Binding.newBuilder()
                        .setName("m")
                        .setIdentityPattern("cn:monitor")
                        .addRoles("reader")
                        .build()))
            .accessOf("cn:monitor");
    assertThat(reader.allows(Permission.READ, ByteString.EMPTY, KeyRanges.ALL_FROM_KEY)).isTrue();
    assertThat(reader.allows(Permission.WRITE, bs("/x"), ByteString.EMPTY)).isFalse();
  }

  @Test
  void operatorsAreAdminsUnknownIdentitiesHaveNothingAndDenialsSayWhoAndWhat() {
    assertThat(AccessPolicy.BUILTIN.accessOf("spiffe://aimstore/operator/alice").admin()).isTrue();
    Access nobody = AccessPolicy.BUILTIN.accessOf("spiffe://aimstore/client/ci");
    assertThat(nobody.roles()).isEmpty();
    assertThat(nobody.allows(Permission.READ, bs("/"), ByteString.EMPTY)).isFalse();
    assertThatThrownBy(() -> nobody.require(Permission.WRITE, bs("/aim/x"), ByteString.EMPTY))
        .hasMessageContaining("spiffe://aimstore/client/ci may not write \"/aim/x\"")
        .hasMessageContaining("roles: none");
    assertThatThrownBy(
            () -> nobody.require(Permission.WRITE, ByteString.EMPTY, KeyRanges.ALL_FROM_KEY))
        .hasMessageContaining("may not write every key");
    assertThatThrownBy(() -> nobody.requireAdmin("force-release lock L"))
        .hasMessageStartingWith(
            "spiffe://aimstore/client/ci may not force-release lock L: no role grants admin (");
    assertThatThrownBy(() -> nobody.requireName(Permission.LOCK, "take lock", "L"))
        .hasMessageStartingWith(
            "spiffe://aimstore/client/ci may not take lock L: no role grants lock on it (");
    assertThatThrownBy(() -> nobody.require(Permission.LEASE, "grant leases"))
        .hasMessageStartingWith("spiffe://aimstore/client/ci may not grant leases: no role");
  }

  @Test
  void storedRolesUseTheBindingsCapturesAndMissingVariablesGrantNothing() {
    Role scratch =
        Role.newBuilder()
            .setName("scratch")
            .addGrants(
                Grant.newBuilder().setPrefix("/scratch/{name}/").addPermissions(Permission.WRITE))
            .addGrants(
                Grant.newBuilder().setPrefix("/by-fleet/{fleet}/").addPermissions(Permission.READ))
            .build();
    AccessPolicy p =
        new AccessPolicy(
            List.of(scratch),
            List.of(
                Binding.newBuilder()
                    .setName("clients")
                    .setIdentityPattern("spiffe://aimstore/client/{name}")
                    .addRoles("scratch")
                    .build()));
    Access ci = p.accessOf("spiffe://aimstore/client/ci");
    assertThat(ci.grants()).extracting(Grant::getPrefix).containsExactly("/scratch/ci/");
    assertThat(ci.allows(Permission.WRITE, bs("/scratch/ci/a"), ByteString.EMPTY)).isTrue();
    assertThat(ci.allows(Permission.WRITE, bs("/scratch/cd/a"), ByteString.EMPTY)).isFalse();
  }

  @Test
  void insecureModeAndTheStoreItselfMayDoEverything() {
    assertThat(AccessPolicy.BUILTIN.accessOf(Access.INSECURE_IDENTITY).admin()).isTrue();
    assertThat(AccessPolicy.BUILTIN.accessOf(Access.SYSTEM_IDENTITY)).isSameAs(Access.SYSTEM);
  }
}
