package io.aimstore.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimstore.client.AimStoreClient;
import io.aimstore.server.raft.SnapshotDamagedException;
import io.aimstore.testkit.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flipped byte in the Raft snapshot a member would start from: the member refuses to start, in
 * one line naming the file; the others go on serving; wiped, it is rebuilt from them.
 */
class SnapshotChecksumIT {
  @TempDir Path dir;

  @Test
  void aMemberWithADamagedSnapshotRefusesToStartAndIsRebuiltFromThePeers() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir, 3).start()) {
      AimStoreClient client = cluster.client();
      for (int i = 0; i < 30; i++) {
        client.kv().put("/k" + i, "v" + i).get(10, TimeUnit.SECONDS);
      }
      int leader = cluster.awaitLeader();
      int m = leader % 3 + 1;
      cluster.node(m).raft().snapshotNow();
      cluster.stop(m);

      Path sst = tableFileOfLatestSnapshot(cluster.dataDir(m));
      byte[] bytes = Files.readAllBytes(sst);
      bytes[bytes.length / 2] ^= 0x20;
      Files.write(sst, bytes);

      assertThatThrownBy(() -> cluster.start(m))
          .rootCause()
          .isInstanceOf(SnapshotDamagedException.class)
          .hasMessageStartingWith("snapshot file " + sst + " is damaged: ")
          .hasMessageNotContaining("\n");
      assertThat(client.kv().put("/while-down", "x").get(10, TimeUnit.SECONDS)).isNotNull();

      cluster.wipe(m);
      cluster.start(m);
      long revision =
          client.kv().put("/after", "y").get(10, TimeUnit.SECONDS).getHeader().getRevision();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (cluster.node(m).raft().stateMachine().read(s -> s.revision()) < revision) {
        assertThat(System.nanoTime()).as("rebuilt in time").isLessThan(deadline);
        Thread.sleep(50);
      }
      try (AimStoreClient direct = cluster.clientOf(m)) {
        assertThat(
                direct
                    .kv()
                    .get("/k17")
                    .get(10, TimeUnit.SECONDS)
                    .getKvs(0)
                    .getValue()
                    .toStringUtf8())
            .isEqualTo("v17");
      }
    }
  }

  private static Path tableFileOfLatestSnapshot(Path dataDir) throws Exception {
    Path latest;
    try (Stream<Path> walk = Files.walk(dataDir.resolve("raft"))) {
      latest =
          walk.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))
              .max(
                  Comparator.comparingLong(
                      p -> Long.parseLong(p.getFileName().toString().replaceAll(".*_", ""))))
              .orElseThrow();
    }
    try (Stream<Path> files = Files.list(latest)) {
      return files.filter(p -> p.toString().endsWith(".sst")).sorted().findFirst().orElseThrow();
    }
  }
}
