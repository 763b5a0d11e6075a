package io.aimstore.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.aimstore.api.v1.CorruptionCheckResult;
import io.aimstore.api.v1.HashKVResponse;
import io.aimstore.client.AimStoreClient;
import io.aimstore.server.raft.RaftLogDamagedException;
import io.aimstore.server.storage.Backend;
import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.DamagedFileException;
import io.aimstore.server.storage.Table;
import io.aimstore.testkit.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corruption detection (docs/operations.md, "Corruption"): a flipped byte in a Raft log segment or
 * a RocksDB file makes the member refuse to start in one line naming the file while the others go
 * on serving, and wiped, it is rebuilt from them; a member whose keyspace differs is found by the
 * leader's hash check, which raises the CORRUPT alarm.
 */
class CorruptionIT {
  @TempDir Path dir;

  @Test
  void aFlippedByteInAClosedRaftLogSegmentIsRefusedAndTheMemberIsRebuilt() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir, 3).start()) {
      AimStoreClient client = cluster.client();
      for (int i = 0; i < 150; i++) {
        client.kv().put("/k" + i, "v" + i + "-".repeat(200)).get(10, TimeUnit.SECONDS);
      }
      int m = cluster.awaitLeader() % 3 + 1;
      cluster.stop(m);
      Path segment = newestClosedSegment(cluster.dataDir(m));
      flipByte(segment, Files.size(segment) / 2);

      Throwable refused = catchThrowable(() -> cluster.start(m));
      DamagedFileException damaged = DamagedFileException.in(refused);
      assertThat(damaged).isInstanceOf(RaftLogDamagedException.class);
      assertThat(damaged.file()).isEqualTo(segment);
      assertThat(damaged.getMessage())
          .startsWith("Raft log segment " + segment + " is damaged: ")
          .doesNotContain("\n");
      assertThat(client.kv().put("/while-down", "x").get(10, TimeUnit.SECONDS)).isNotNull();

      rebuild(cluster, m, client);
    }
  }

  @Test
  void aFlippedByteInARocksDbFileIsRefusedAndTheMemberIsRebuilt() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir, 3).start()) {
      AimStoreClient client = cluster.client();
      for (int i = 0; i < 300; i++) {
        client.kv().put("/k" + i, "v" + i + "-".repeat(200)).get(10, TimeUnit.SECONDS);
      }
      int m = cluster.awaitLeader() % 3 + 1;
      cluster.node(m).raft().snapshotNow(); // flushes the store into table files
      cluster.stop(m);
      // The snapshot hard-links the store's table files: damage the store's copy only (a new
      // inode), so that it is the store's check that finds it, not the snapshot's.
      Path sst = largestTableFile(cluster.dataDir(m).resolve("kv"));
      Path damagedCopy = sst.resolveSibling("damaged.tmp");
      Files.copy(sst, damagedCopy);
      flipByte(damagedCopy, 100);
      Files.move(damagedCopy, sst, StandardCopyOption.REPLACE_EXISTING);

      Throwable refused = catchThrowable(() -> cluster.start(m));
      DamagedFileException damaged = DamagedFileException.in(refused);
      assertThat(damaged).as("refused with: %s", refused).isNotNull();
      assertThat(damaged.file()).isEqualTo(sst);
      assertThat(damaged.getMessage())
          .startsWith("RocksDB file " + sst + " is damaged: ")
          .contains("checksum mismatch")
          .doesNotContain("\n");
      assertThat(client.kv().put("/while-down", "x").get(10, TimeUnit.SECONDS)).isNotNull();

      rebuild(cluster, m, client);
    }
  }

  @Test
  void theLeadersHashCheckFindsAMemberWhoseKeyspaceDiffersAndRaisesTheAlarm() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir, 3).start()) {
      AimStoreClient client = cluster.client();
      long rev = 0;
      for (int i = 0; i < 20; i++) {
        rev =
            client.kv().put("/k" + i, "v" + i).get(10, TimeUnit.SECONDS).getHeader().getRevision();
      }
      int leader = cluster.awaitLeader();
      int m = leader % 3 + 1;
      awaitRevision(cluster, rev);

      CorruptionCheckResult clean = cluster.node(leader).corruptionCheck().run().orElseThrow();
      assertThat(clean.getMatchedCount()).isEqualTo(2);
      assertThat(clean.getMismatchedList()).isEmpty();
      assertThat(alarm(cluster, leader)).isZero();

      tamper(cluster.node(m).raft().stateMachine().read(s -> s.backend()));

      CorruptionCheckResult found = cluster.node(leader).corruptionCheck().run().orElseThrow();
      assertThat(found.getMismatchedList()).containsExactly("n" + m);
      assertThat(found.getRevision()).isEqualTo(rev);
      // the alarm is replicated: raised through the log, then shown by every member
      for (int i = 1; i <= 3; i++) {
        int member = i;
        await().atMost(Duration.ofSeconds(20)).until(() -> alarm(cluster, member) == 1.0);
      }
      try (AimStoreClient direct = cluster.clientOf(leader)) {
        assertThat(
                direct
                    .cluster()
                    .status("")
                    .get(10, TimeUnit.SECONDS)
                    .getCorruptionCheck()
                    .getMismatchedList())
            .containsExactly("n" + m);
      }
      // what 'aimctl check hash' compares: each member's own hash at one revision
      HashKVResponse good =
          client.maintenance().hashAt(cluster.endpoint(leader), rev, Duration.ofSeconds(10)).get();
      HashKVResponse bad =
          client.maintenance().hashAt(cluster.endpoint(m), rev, Duration.ofSeconds(10)).get();
      assertThat(bad.getMember()).isEqualTo("n" + m);
      assertThat(bad.getHash()).isNotEqualTo(good.getHash());
    }
  }

  /** The documented rebuild: wipe the member's data and start it; it catches up from the others. */
  private static void rebuild(InProcessCluster cluster, int m, AimStoreClient client)
      throws Exception {
    cluster.wipe(m);
    cluster.start(m);
    long revision =
        client.kv().put("/after", "y").get(10, TimeUnit.SECONDS).getHeader().getRevision();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (cluster.node(m).raft().stateMachine().read(s -> s.revision()) < revision) {
      assertThat(System.nanoTime()).as("rebuilt in time").isLessThan(deadline);
      Thread.sleep(50);
    }
    try (AimStoreClient direct = cluster.clientOf(m)) {
      assertThat(
              direct.kv().get("/k17").get(10, TimeUnit.SECONDS).getKvs(0).getValue().toStringUtf8())
          .startsWith("v17");
    }
  }

  private static void awaitRevision(InProcessCluster cluster, long rev) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int i = 1; i <= 3; i++) {
      while (cluster.node(i).raft().stateMachine().read(s -> s.revision()) < rev) {
        assertThat(System.nanoTime()).as("n%d applied %d in time", i, rev).isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  /**
   * Test-only damage: changes one byte of the oldest stored version behind the state machine's
   * back, as a flipped bit on disk or in memory would (the applied position stays as it was).
   */
  private static void tamper(Backend backend) {
    try (Batch b = backend.beginBatch()) {
      byte[] key;
      byte[] value;
      try (Cursor c = b.cursor(Table.KV)) {
        c.seekToFirst();
        key = c.key();
        value = c.value();
      }
      value[value.length - 1] ^= 0x01;
      b.put(Table.KV, key, value);
      b.commit(backend.appliedTerm(), backend.appliedIndex());
    }
  }

  private static double alarm(InProcessCluster cluster, int i) {
    return cluster
        .node(i)
        .registry()
        .get("aimstore.alarm.active")
        .tag("alarm", "CORRUPT")
        .gauge()
        .value();
  }

  private static void flipByte(Path f, long offset) throws Exception {
    byte[] bytes = Files.readAllBytes(f);
    bytes[(int) offset] ^= 0x20;
    Files.write(f, bytes);
  }

  private static Path newestClosedSegment(Path dataDir) throws Exception {
    try (Stream<Path> walk = Files.walk(dataDir.resolve("raft"))) {
      return walk.filter(p -> p.getFileName().toString().matches("log_\\d+-\\d+"))
          .max(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().replaceAll(".*-", ""))))
          .orElseThrow();
    }
  }

  private static Path largestTableFile(Path kvDir) throws Exception {
    try (Stream<Path> walk = Files.walk(kvDir)) {
      return walk.filter(p -> p.toString().endsWith(".sst"))
          .max(Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow();
    }
  }
}
