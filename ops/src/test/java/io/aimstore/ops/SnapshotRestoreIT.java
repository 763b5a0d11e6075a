package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.LeaseInfo;
import io.aimstore.api.v1.LeaseLeasesRequest;
import io.aimstore.api.v1.LockClaim;
import io.aimstore.api.v1.LockInfo;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.TlsFiles;
import io.aimstore.ops.Cli.Run;
import io.aimstore.server.Restore;
import io.aimstore.server.raft.LessorSettings;
import io.aimstore.testkit.InProcessCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore end to end: {@code aimctl snapshot save} from a cluster under writes, {@code
 * aimctl snapshot status}, {@link Restore} into three data directories, and a new cluster started
 * on them that serves the same keys, revisions, leases and locks.
 */
class SnapshotRestoreIT {
  @TempDir static Path dir;
  static InProcessCluster source;
  static Cli cli;
  static Path saved;

  /** Puts the writer makes at most while the snapshot is saved. */
  static final int LOAD_PUTS = 1500;

  @BeforeAll
  static void start() {
    source = new InProcessCluster(dir.resolve("source"), 3).secure().start();
    cli = Cli.of(source);
  }

  @AfterAll
  static void stop() {
    source.close();
  }

  @Test
  void savedUnderWritesRestoresIntoANewClusterWithTheSameKeysRevisionsLeasesAndLocks()
      throws Exception {
    AimStoreClient c = source.client();
    for (int i = 0; i < 50; i++) {
      c.kv().put("/app/configs/c" + i, "v1-" + i).get(10, TimeUnit.SECONDS);
      c.kv().put("/app/configs/c" + i, "v2-" + i).get(10, TimeUnit.SECONDS);
    }
    c.kv().delete("/app/configs/c0").get(10, TimeUnit.SECONDS);
    long holderLease = c.leases().grant(Duration.ofSeconds(60)).get().getId();
    long waiterLease = c.leases().grant(Duration.ofSeconds(120)).get().getId();
    long keyLease = c.leases().grant(Duration.ofSeconds(300)).get().getId();
    c.kv()
        .put(
            PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("/aim/fleet-1/drones/d1/presence"))
                .setValue(ByteString.copyFromUtf8("up"))
                .setLease(keyLease)
                .build())
        .get(10, TimeUnit.SECONDS);
    c.locks().acquire("backup-it", holderLease, Duration.ZERO).get(10, TimeUnit.SECONDS);
    CompletableFuture<?> waiting =
        c.locks().acquire("backup-it", waiterLease, Duration.ofMinutes(5));
    awaitWaiters(c, "backup-it", 1);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger puts = new AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
              while (!stop.get() && puts.get() < LOAD_PUTS && System.nanoTime() < deadline) {
                try {
                  int n = puts.getAndIncrement();
                  c.kv().put("/load/k" + (n % 200), "value-" + n).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                  return;
                }
              }
            },
            "writer");
    writer.start();
    while (puts.get() < 100) { // writes before the save starts, and more during it
      Thread.sleep(5);
    }
    saved = dir.resolve("backup.snap");
    int putsBeforeSave = puts.get();
    Run save = cli.run("snapshot", "save", saved.toString(), "-o", "json");
    int putsWhenSaved = puts.get();
    stop.set(true);
    writer.join(30_000);
    waiting.cancel(true);
    assertThat(save.code()).as(save.err()).isZero();
    assertThat(putsWhenSaved)
        .as("writes went on while the snapshot was saved")
        .isLessThan(LOAD_PUTS);
    JsonObject meta = save.json();
    long revision = meta.get("revision").getAsLong();
    assertThat(meta.get("checksum").getAsString()).isEqualTo("ok");
    assertThat(meta.get("cluster_name").getAsString()).isEqualTo("test");
    assertThat(meta.getAsJsonArray("members")).hasSize(3);
    assertThat(revision).isGreaterThan(100);
    assertThat(Path.of(saved + ".part")).doesNotExist();

    Run status = cli.run("snapshot", "status", saved.toString(), "-o", "json");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.json().get("revision").getAsLong()).isEqualTo(revision);
    assertThat(status.json().get("sha256").getAsString())
        .isEqualTo(meta.get("sha256").getAsString());
    Run table = cli.run("snapshot", "inspect", saved.toString());
    assertThat(table.out()).contains("revision").contains("ok (sha256 ");

    Path restored = dir.resolve("restored");
    String token = null;
    for (int i = 1; i <= 3; i++) {
      Restore.Result r =
          Restore.run(
              new Restore.Request(
                  saved, restored.resolve("n" + i), "n" + i, List.of("n1", "n2", "n3"), null, ""));
      assertThat(r.snapshot().getRevision()).isEqualTo(revision);
      token = r.clusterToken();
    }
    try (InProcessCluster target =
        new InProcessCluster(restored, 3).secure().clusterToken(token).start()) {
      AimStoreClient t = target.client();
      RangeResponse before = all(c, revision);
      RangeResponse after = all(t, 0);
      assertThat(after.getHeader().getRevision()).isEqualTo(revision);
      assertThat(after.getKvsCount()).isGreaterThan(150);
      assertThat(after.getKvsList()).containsExactlyElementsOf(before.getKvsList());
      assertThat(after.getHeader().getClusterId())
          .as("a restored cluster is a new cluster")
          .isNotEqualTo(before.getHeader().getClusterId());
      // history too: a key's first version, before it was overwritten
      KeyValue c1 =
          before.getKvsList().stream()
              .filter(kv -> kv.getKey().toStringUtf8().equals("/app/configs/c1"))
              .findFirst()
              .orElseThrow();
      assertThat(c1.getVersion()).isEqualTo(2);
      RangeRequest first =
          RangeRequest.newBuilder().setKey(c1.getKey()).setRevision(c1.getCreateRevision()).build();
      assertThat(t.kv().get(first).get().getKvs(0).getValue().toStringUtf8()).isEqualTo("v1-1");

      assertThat(leases(t)).containsExactlyElementsOf(leases(c));
      // expiry clocks start again on the restored cluster's first leader: a full TTL (plus the
      // grace a new leader gives), not what was left when the snapshot was taken
      long grace =
          LessorSettings.forElectionTimeout(InProcessCluster.SETTINGS.electionTimeoutMax())
              .promoteGrace()
              .toMillis();
      for (LeaseInfo l :
          t.leases().list(LeaseLeasesRequest.getDefaultInstance()).get().getLeasesList()) {
        if (l.getRemainingMs() >= 0) {
          assertThat(l.getRemainingMs())
              .isBetween(l.getGrantedTtl() * 1000 - 20_000, l.getGrantedTtl() * 1000 + grace);
        }
      }
      assertThat(locks(t)).containsExactlyElementsOf(locks(c)).hasSize(1);
      assertThat(t.locks().audit(0).get().getRecordsList())
          .anyMatch(a -> a.getAction().equals("snapshot-save"));

      // the restored cluster carries on from the snapshot's revision
      assertThat(t.kv().put("/after/restore", "x").get().getHeader().getRevision())
          .isEqualTo(revision + 1);

      // a member started empty (a replaced disk) is rebuilt with everything the backup held, not
      // only what was written since the restore
      int leader = target.awaitLeader();
      int m = leader % 3 + 1;
      target.wipe(m);
      target.start(m);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (target.node(m).raft().stateMachine().read(s -> s.revision()) < revision + 1) {
        assertThat(System.nanoTime()).as("rebuilt in time").isLessThan(deadline);
        Thread.sleep(50);
      }
      try (AimStoreClient direct = target.clientOf(m)) {
        RangeResponse rebuilt =
            direct
                .kv()
                .get(
                    RangeRequest.newBuilder()
                        .setKey(ByteString.copyFrom(new byte[] {0}))
                        .setRangeEnd(ByteString.copyFrom(new byte[] {0}))
                        .setRevision(revision)
                        .setSerializable(true)
                        .build())
                .get(10, TimeUnit.SECONDS);
        assertThat(rebuilt.getKvsList()).containsExactlyElementsOf(before.getKvsList());
      }
    }
  }

  @Test
  void aFlippedByteIsRefusedByStatusAndRestoreInOneLineNamingTheFile() throws Exception {
    Path good = dir.resolve("good.snap");
    assertThat(cli.run("snapshot", "save", good.toString()).code()).isZero();
    byte[] bytes = Files.readAllBytes(good);
    bytes[bytes.length / 2] ^= 0x01;
    Path bad = Files.write(dir.resolve("flipped.snap"), bytes);

    Run status = cli.run("snapshot", "status", bad.toString());
    assertThat(status.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(status.err().strip())
        .startsWith("aimctl: snapshot " + bad + " is damaged: ")
        .doesNotContain("\n");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path target = dir.resolve("from-flipped/n1");
    int code =
        Restore.main(
            new String[] {
              bad.toString(),
              "--data-dir",
              target.toString(),
              "--name",
              "n1",
              "--initial-cluster",
              "n1,n2,n3"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .startsWith("aimstore restore: snapshot " + bad + " is damaged: ")
        .doesNotContain("\n");
    assertThat(target).doesNotExist();
  }

  @Test
  void onlyAnAdminMaySaveASnapshot() {
    Path crt = source.certs().drone("fleet-1", "drone-9", Duration.ofHours(1));
    TlsFiles drone =
        new TlsFiles(
            source.certs().dir().resolve("ca.crt"),
            crt,
            io.aimstore.certs.ClusterCertificates.keyOf(crt));
    try (AimStoreClient c =
        AimStoreClient.builder().endpoints(source.endpoints()).tls(drone).build()) {
      assertThatThrownBy(
              () ->
                  AimStoreClient.await(
                      c.maintenance()
                          .snapshot(
                              new ByteArrayOutputStream(), (r, t) -> {}, Duration.ofSeconds(30))))
          .isInstanceOfSatisfying(
              AimStoreException.class,
              e -> {
                assertThat(e.code()).isEqualTo(AimStoreException.Code.PERMISSION_DENIED);
                assertThat(e.getMessage()).contains("save a snapshot");
              });
    }
  }

  private static void awaitWaiters(AimStoreClient c, String lock, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (c.locks().inspect(lock).get().getLock().getWaitersCount() < n) {
      assertThat(System.nanoTime()).as("waiter queued in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static RangeResponse all(AimStoreClient c, long revision) throws Exception {
    return c.kv()
        .get(
            RangeRequest.newBuilder()
                .setKey(ByteString.copyFrom(new byte[] {0}))
                .setRangeEnd(ByteString.copyFrom(new byte[] {0}))
                .setRevision(revision)
                .build())
        .get(10, TimeUnit.SECONDS);
  }

  /** What a lease is, without what depends on the moment it is asked. */
  private static List<String> leases(AimStoreClient c) throws Exception {
    List<String> out = new ArrayList<>();
    for (LeaseInfo l :
        c.leases().list(LeaseLeasesRequest.getDefaultInstance()).get().getLeasesList()) {
      out.add(
          l.getId()
              + " ttl="
              + l.getGrantedTtl()
              + " granted_at="
              + l.getGrantedAtMs()
              + " identity="
              + l.getIdentity()
              + " owner="
              + l.getOwner().getName()
              + "@"
              + l.getOwner().getHost()
              + " keys="
              + l.getKeyCount());
    }
    return out;
  }

  private static List<String> locks(AimStoreClient c) throws Exception {
    List<String> out = new ArrayList<>();
    for (LockInfo l : c.locks().list("").get().getLocksList()) {
      StringBuilder s =
          new StringBuilder(l.getName()).append(" holder=").append(claim(l.getHolder()));
      for (LockClaim w : l.getWaitersList()) {
        s.append(" waiter=").append(claim(w));
      }
      out.add(s.toString());
    }
    return out;
  }

  private static String claim(LockClaim c) {
    return c.getToken()
        + "/"
        + c.getLease()
        + "/"
        + c.getIdentity()
        + "/"
        + c.getQueuedAtMs()
        + "/"
        + c.getAcquiredAtMs()
        + "/"
        + c.getKey().toStringUtf8();
  }
}
