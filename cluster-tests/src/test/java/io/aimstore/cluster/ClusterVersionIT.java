package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.StatusResponse;
import io.aimstore.client.AimStoreClient;
import io.aimstore.server.raft.AimStateMachine;
import io.aimstore.server.raft.ClusterVersion;
import io.aimstore.testkit.InProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster-version gate in a rolling upgrade. Today's build applies format version 1 only, so n1
 * and n2 play members of a newer release that applies version 2, and n3 one of today's (or an older
 * one): the leader writes version 1 while n3 is in the configuration, version 2 once n3 runs the
 * newer release, and n3 put back on the older release stops at the first version-2 entry that
 * reaches it with one clear error while n1 and n2 go on serving.
 */
@Timeout(120)
class ClusterVersionIT {
  @TempDir Path dir;

  @Test
  void theLeaderWritesTheLowestVersionAndAMemberTooOldHalts() throws Exception {
    try (InProcessCluster cluster =
        new InProcessCluster(dir, 3).maxFormatVersion(1, 2).maxFormatVersion(2, 2).start()) {
      AimStoreClient client = cluster.clientPreferring(1, 2);
      int leader = cluster.awaitLeader();
      if (leader == 3) {
        await(client.cluster().transferLeadership("n1", "n3 runs the older release"));
        awaitTrue(() -> cluster.leader().orElse(0) == 1, "n1 leads");
        leader = 1;
      }
      await(client.kv().put("/upgrade/0", "v"));

      // (a) n3 applies at most 1: the leader keeps writing version 1, whatever time passes
      for (int i = 1; i <= 12; i++) {
        await(client.kv().put("/upgrade/" + i, "v"));
        assertThat(machine(cluster, leader).appliedFormatVersion()).isEqualTo(1);
        Thread.sleep(250);
      }
      StatusResponse s = await(client.cluster().status("n" + leader));
      assertThat(s.getClusterVersion()).isEqualTo(1);
      assertThat(s.getMaxFormatVersion()).isEqualTo(2);
      assertThat(await(client.cluster().status("n3")).getMaxFormatVersion()).isEqualTo(1);

      // n3 restarted on the newer release: once the leader has heard it, version 2 is written
      cluster.stop(3);
      cluster.maxFormatVersion(3, 2).start(3);
      int l = leader;
      awaitTrue(
          () -> await(client.cluster().status("n" + l)).getClusterVersion() == 2,
          "the cluster version rises to 2");
      await(client.kv().put("/upgrade/new-format", "v"));
      long index = machine(cluster, leader).getLastAppliedTermIndex().getIndex();
      for (int i = 1; i <= 3; i++) {
        int m = i;
        awaitTrue(
            () -> machine(cluster, m).getLastAppliedTermIndex().getIndex() >= index,
            "n" + m + " applies the version-2 entry");
        assertThat(machine(cluster, m).halted()).isEmpty();
      }
      assertThat(machine(cluster, leader).appliedFormatVersion()).isEqualTo(2);

      // (b) n3 back on the older release. It starts (the snapshot it took when it stopped covers
      // the version-2 entries so far) and the leader, once it has heard it, writes version 1 again.
      cluster.stop(3);
      cluster.maxFormatVersion(3, 1).start(3);
      awaitTrue(
          () -> await(client.cluster().status("n" + l)).getClusterVersion() == 1,
          "the cluster version falls back to 1");
      await(client.kv().put("/upgrade/old-format-again", "v"));
      assertThat(machine(cluster, leader).appliedFormatVersion()).isEqualTo(1);
      // The window the gate leaves: the leader heard n3 say 2 just before n3 restarted on the
      // older release (answers count for 3 s). A version-2 entry then reaches n3, which refuses it.
      ClusterVersion versions = machine(cluster, leader).clusterVersion();
      for (int i = 0; machine(cluster, leader).appliedFormatVersion() != 2; i++) {
        assertThat(i).as("attempts to write a version-2 entry").isLessThan(20);
        versions.heard("n3", 2);
        await(client.kv().put("/upgrade/too-new", "v" + i));
      }
      awaitTrue(() -> machine(cluster, 3).halted().isPresent(), "n3 halts");
      String why = machine(cluster, 3).halted().orElseThrow().reason();
      assertThat(why)
          .matches(
              "log entry \\d+ is in format version 2, but this member applies format versions up"
                  + " to 1: it stops applying .*");
      long refused = Long.parseLong(why.split(" ")[2]);
      assertThat(machine(cluster, 3).halted().get().appliedIndex()).isLessThan(refused);
      StatusResponse halted = await(client.cluster().status("n3"));
      assertThat(halted.getHalted()).isEqualTo(why);
      assertThat(halted.getRole()).isEqualTo("HALTED");

      // the others go on: writes and linearizable reads through n1 and n2
      AimStoreClient rest = cluster.client(List.of(cluster.endpoint(1), cluster.endpoint(2)));
      for (int i = 0; i < 5; i++) {
        await(rest.kv().put("/upgrade/after-halt/" + i, "v"));
      }
      assertThat(await(rest.kv().get("/upgrade/after-halt/4")).getKvsCount()).isEqualTo(1);
      assertThat(machine(cluster, 3).halted().get().reason()).isEqualTo(why);
    }
  }

  private static AimStateMachine machine(InProcessCluster cluster, int i) {
    return cluster.node(i).raft().stateMachine();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }
}
