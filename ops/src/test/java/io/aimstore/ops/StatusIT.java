package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.ops.Cli.Run;
import io.aimstore.testkit.InProcessCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'aimctl status' answers within two seconds whatever is down or hung, with an exit code for each
 * verdict and a reason per unhealthy member; with quorum lost a write honours --timeout and says
 * that its outcome is unknown. The tests run in order: each takes one more member away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusIT {
  @TempDir static Path dir;
  static InProcessCluster cluster;
  static Cli cli;

  @BeforeAll
  static void start() {
    cluster = new InProcessCluster(dir, 3).start();
    cluster.awaitLeader();
    cli = Cli.of(cluster);
    cli.run("put", "warm", "up"); // the first call of this JVM pays for class loading
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(1)
  void healthy() {
    Run r = cli.run("status");
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("healthy: 3 of 3 members serve");
    assertThat(r.millis()).isLessThan(2000);
  }

  @Test
  @Order(1)
  void anEndpointThatReachesAMemberUnderAnotherAddressCountsOnce() {
    // like a Kubernetes client Service in front of the members: localhost for 127.0.0.1
    String alias = cluster.endpoint(1).replace("127.0.0.1", "localhost");
    Run r = Cli.raw("", "--endpoints", alias, "--insecure", "status");
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("healthy: 3 of 3 members serve");
    // the alias is named once, where aimctl says how it reached the cluster: no row of its own
    assertThat(r.out().lines().filter(l -> l.contains(alias))).hasSize(1);
  }

  @Test
  @Order(2)
  void aHungEndpointCostsOneShortTimeout() throws IOException {
    // accepts connections (the kernel does) and never answers, like a paused process
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String endpoints = cli.endpoints() + ",127.0.0.1:" + hung.getLocalPort();
      Run r = Cli.raw("", "--endpoints", endpoints, "--insecure", "status");
      assertThat(r.millis()).isLessThan(2000);
      assertThat(r.code()).isEqualTo(ExitCodes.DEGRADED);
      assertThat(r.out())
          .contains("127.0.0.1:" + hung.getLocalPort() + "): unreachable: no answer within");
    }
  }

  @Test
  @Order(3)
  void oneMemberDownIsDegraded() throws InterruptedException {
    cluster.stop(3);
    settle();
    Run r = cli.run("status");
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.DEGRADED);
    assertThat(r.millis()).isLessThan(2000);
    assertThat(r.out())
        .contains("degraded: 2 of 3 members serve")
        .contains(
            "n3 ("
                + cluster.endpoint(3)
                + "): unreachable: cannot reach "
                + cluster.endpoint(3)
                + ": connection refused");
    Run json = cli.run("status", "-o", "json");
    assertThat(json.json().get("health").getAsString()).isEqualTo("degraded");
  }

  /**
   * Waits (up to 30 s) until a majority follows one leader: stopping the leader, or a loaded host,
   * means an election first, and until its first heartbeat a follower rightly knows no leader.
   */
  private static void settle() throws InterruptedException {
    long until = System.nanoTime() + 30_000_000_000L;
    while (cli.run("status").code() == ExitCodes.NO_QUORUM && System.nanoTime() < until) {
      Thread.sleep(200);
    }
  }

  @Test
  @Order(4)
  void twoMembersDownIsNoQuorum() {
    cluster.stop(2);
    Run r = cli.run("status");
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NO_QUORUM);
    assertThat(r.millis()).isLessThan(2000);
    assertThat(r.out()).contains("no quorum: 1 of 3 members answer");
  }

  @Test
  @Order(5)
  void aWriteWithoutQuorumHonoursTheTimeoutAndSaysItsOutcome() {
    Run r = cli.run("put", "k", "v", "--timeout", "3s");
    assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.millis()).isBetween(2500L, 6000L);
    assertThat(r.err())
        .containsAnyOf("aimctl: outcome unknown", "aimctl: not applied")
        .doesNotContain("CallOptions")
        .doesNotContain("io.grpc")
        .doesNotContain("RaftClientRequest")
        .doesNotContain("Exception");
    assertThat(r.err().lines().count()).isLessThanOrEqualTo(3);
  }
}
