package io.aimstore.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.CorruptionCheckResult;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.ops.health.ClusterHealth;
import io.aimstore.ops.health.MemberProbe;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code aimctl status} says CORRUPT when the latest hash check a leader reports found a member.
 */
class StatusCorruptionLineTest {
  private static MemberProbe member(String name, CorruptionCheckResult check) {
    StatusResponse.Builder s = StatusResponse.newBuilder().setLeaderName("n1");
    if (check != null) {
      s.setCorruptionCheck(check);
    }
    return new MemberProbe(name, name + ":1", s.build(), null);
  }

  private static CorruptionCheckResult check(long at, String... mismatched) {
    return CorruptionCheckResult.newBuilder()
        .setRevision(812)
        .setCheckedAtMs(at)
        .addAllMismatched(List.of(mismatched))
        .build();
  }

  @Test
  void theLatestCheckDecides() {
    ClusterHealth found =
        ClusterHealth.of(
            List.of(
                member("n1", check(2_000, "n3")), member("n2", check(1_000)), member("n3", null)));
    assertThat(StatusCommand.corruption(found))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith(
                        "CORRUPT: at revision 812 the keyspace hash of n3 differs from n1's")
                    .contains("aimctl check hash"));

    ClusterHealth passedSince =
        ClusterHealth.of(
            List.of(
                member("n1", check(1_000, "n3")), member("n2", check(2_000)), member("n3", null)));
    assertThat(StatusCommand.corruption(passedSince)).isEmpty();
    assertThat(StatusCommand.corruption(ClusterHealth.of(List.of(member("n1", null))))).isEmpty();
  }
}
