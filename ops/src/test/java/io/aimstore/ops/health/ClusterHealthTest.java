package io.aimstore.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.ops.ExitCodes;
import io.aimstore.ops.health.ClusterHealth.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict of 'aimctl status' from members' answers, and its exit code. */
class ClusterHealthTest {
  private static final List<Member> MEMBERS = List.of(member("n1"), member("n2"), member("n3"));

  private static Member member(String name) {
    return Member.newBuilder().setName(name).setClientAddress(name + ":1").build();
  }

  private static MemberProbe up(String name, String leader, long commit, long applied) {
    StatusResponse s =
        StatusResponse.newBuilder()
            .setHeader(ResponseHeader.newBuilder().setMemberName(name))
            .setLeaderName(leader)
            .setRole(name.equals(leader) ? "LEADER" : "FOLLOWER")
            .setRaftCommitIndex(commit)
            .setRaftAppliedIndex(applied)
            .addAllMembers(MEMBERS)
            .build();
    return new MemberProbe(name, name + ":1", s, null);
  }

  private static MemberProbe up(String name, String leader) {
    return up(name, leader, 10, 10);
  }

  private static MemberProbe down(String name) {
    return new MemberProbe(
        name, name + ":1", null, "cannot reach " + name + ":1: connection refused");
  }

  @Test
  void healthyWhenEveryMemberFollowsOneLeader() {
    ClusterHealth h = ClusterHealth.of(List.of(up("n1", "n1"), up("n2", "n1"), up("n3", "n1")));
    assertThat(h.verdict()).isEqualTo(Verdict.HEALTHY);
    assertThat(h.verdict().exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(h.problems()).isEmpty();
    assertThat(h.summary()).isEqualTo("healthy: 3 of 3 members serve, leader n1");
  }

  @Test
  void degradedWithAMinorityDownLaggingOrLost() {
    ClusterHealth down = ClusterHealth.of(List.of(up("n1", "n1"), up("n2", "n1"), down("n3")));
    assertThat(down.verdict()).isEqualTo(Verdict.DEGRADED);
    assertThat(down.verdict().exitCode()).isEqualTo(ExitCodes.DEGRADED);
    assertThat(down.problems())
        .containsOnlyKeys("n3")
        .containsValue("unreachable: cannot reach n3:1: connection refused");

    ClusterHealth lagging =
        ClusterHealth.of(List.of(up("n1", "n1"), up("n2", "n1"), up("n3", "n1", 500, 10)));
    assertThat(lagging.verdict()).isEqualTo(Verdict.DEGRADED);
    assertThat(lagging.problems().get("n3")).startsWith("catching up: 490");

    ClusterHealth noLeader =
        ClusterHealth.of(List.of(up("n1", "n1"), up("n2", "n1"), up("n3", "")));
    assertThat(noLeader.problems().get("n3")).startsWith("knows no leader");
    assertThat(noLeader.verdict()).isEqualTo(Verdict.DEGRADED);

    String why =
        "log entry 16 is in format version 2, but this member applies format versions up to 1";
    MemberProbe halted =
        new MemberProbe(
            "n3",
            "n3:1",
            StatusResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setMemberName("n3"))
                .setRole("HALTED")
                .setHalted(why)
                .setMaxFormatVersion(1)
                .addAllMembers(MEMBERS)
                .build(),
            null);
    ClusterHealth tooOld = ClusterHealth.of(List.of(up("n1", "n1"), up("n2", "n1"), halted));
    assertThat(tooOld.verdict()).isEqualTo(Verdict.DEGRADED);
    assertThat(tooOld.problems()).containsEntry("n3", "halted: " + why);
  }

  @Test
  void noQuorumWhenNoLeaderHasAMajority() {
    ClusterHealth twoDown = ClusterHealth.of(List.of(up("n1", "n1"), down("n2"), down("n3")));
    assertThat(twoDown.verdict()).isEqualTo(Verdict.NO_QUORUM);
    assertThat(twoDown.verdict().exitCode()).isEqualTo(ExitCodes.NO_QUORUM);
    assertThat(twoDown.summary()).startsWith("no quorum: 1 of 3 members answer");

    ClusterHealth split = ClusterHealth.of(List.of(up("n1", "n1"), up("n2", ""), up("n3", "")));
    assertThat(split.verdict()).isEqualTo(Verdict.NO_QUORUM);

    ClusterHealth nobody = ClusterHealth.of(List.of(down("n1"), down("n2"), down("n3")));
    assertThat(nobody.verdict()).isEqualTo(Verdict.NO_QUORUM);
    assertThat(nobody.problems()).hasSize(3);
  }
}
