package io.aimstore.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.server.storage.StorageOptions;
import io.aimstore.testkit.InProcessCluster;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny storage quota on a 3-member cluster: writes fill the stores, the members raise NOSPACE and
 * writes that can grow the store get RESOURCE_EXHAUSTED saying what to do, while reads, deletes,
 * keep-alives and compaction go on; deleting and compacting the history brings the stores back
 * under the quota, the alarm clears by itself, and writes work again.
 */
class QuotaIT {
  static final long QUOTA = 4L << 20;

  /** Random bytes: RocksDB compresses its files, and zeros would take no room at all. */
  static final ByteString VALUE = randomBytes(64 * 1024);

  @TempDir Path dir;

  @Test
  void aFullQuotaRefusesGrowingWritesUntilCompactionFreesTheSpace() throws Exception {
    try (InProcessCluster cluster =
        new InProcessCluster(dir, 3)
            .storage(StorageOptions.DEFAULT.withQuotaBackendBytes(QUOTA))
            .start()) {
      AimStoreClient client = cluster.client();
      long lease = client.leases().grant(Duration.ofSeconds(60)).get(10, TimeUnit.SECONDS).getId();
      assertThat(alarmGauge(cluster, 1)).isZero();

      // fill until refused (bounded: 4 MiB of 64 KiB values is ~64 puts, plus the check's second)
      AimStoreException refused = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      for (int i = 0; refused == null; i++) {
        assertThat(System.nanoTime()).as("NOSPACE raised in time").isLessThan(deadline);
        try {
          put(client, "/fill/" + i);
        } catch (AimStoreException e) {
          refused = e;
        }
      }
      assertThat(refused.code()).isEqualTo(AimStoreException.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.description())
          .matches(
              "storage quota of 4\\.0 MiB exceeded on members? n\\d.* \\(NOSPACE alarm\\): compact"
                  + " history with 'aimctl compact REV' and delete what is not needed, then the"
                  + " alarm clears when the store is back under the quota; see"
                  + " docs/operations.md#full-disk");
      List<Alarm> alarms = client.maintenance().alarms().get(10, TimeUnit.SECONDS).getAlarmsList();
      assertThat(alarms).isNotEmpty().allMatch(a -> a.getAlarm() == AlarmType.NOSPACE);
      assertThat(alarms.get(0).getQuotaBytes()).isEqualTo(QUOTA);
      assertThat(alarms.get(0).getSizeBytes()).isGreaterThan(QUOTA);
      assertThat(alarmGauge(cluster, 1)).isEqualTo(1.0);
      assertThat(client.cluster().status("").get(10, TimeUnit.SECONDS).getAlarmsList())
          .isNotEmpty();

      // refused: whatever can grow the store
      assertRefused(() -> put(client, "/more"));
      assertRefused(
          () ->
              client
                  .kv()
                  .txn(
                      TxnRequest.newBuilder()
                          .addSuccess(
                              RequestOp.newBuilder()
                                  .setRequestPut(
                                      PutRequest.newBuilder()
                                          .setKey(ByteString.copyFromUtf8("/t"))
                                          .setValue(VALUE)))
                          .build())
                  .get(10, TimeUnit.SECONDS));
      assertRefused(() -> client.leases().grant(Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS));

      // the alarm holds until space is freed: nothing clears it by itself meanwhile
      Thread.sleep(2_500);
      assertRefused(() -> put(client, "/more"));

      // allowed: reads, keep-alives, deletes, compaction
      assertThat(client.kv().get("/fill/0").get(10, TimeUnit.SECONDS).getCount()).isEqualTo(1);
      assertThat(client.leases().keepAliveOnce(lease).get(10, TimeUnit.SECONDS).getTtl())
          .isPositive();
      ByteString prefix = ByteString.copyFromUtf8("/fill/");
      long deleted =
          client
              .kv()
              .delete(
                  DeleteRangeRequest.newBuilder()
                      .setKey(prefix)
                      .setRangeEnd(KeyRanges.prefixEnd(prefix))
                      .build())
              .get(10, TimeUnit.SECONDS)
              .getDeleted();
      assertThat(deleted).isPositive();
      long rev = client.kv().get("/fill/0").get(10, TimeUnit.SECONDS).getHeader().getRevision();
      client.kv().compact(rev).get(10, TimeUnit.SECONDS);

      // each member reclaims the space (RocksDB compaction), sees it is under 90% and clears
      long clearBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!client.maintenance().alarms().get(10, TimeUnit.SECONDS).getAlarmsList().isEmpty()) {
        assertThat(System.nanoTime())
            .as(
                "NOSPACE cleared in time; sizes %s",
                (Supplier<String>)
                    () ->
                        List.of(1, 2, 3).stream()
                            .map(
                                i -> cluster.node(i).raft().stateMachine().read(s -> s.sizeBytes()))
                            .toList()
                            .toString())
            .isLessThan(clearBy);
        Thread.sleep(200);
      }
      assertThat(put(client, "/after")).isPositive();
      assertThat(alarmGauge(cluster, 1)).isZero();
      assertThat(client.leases().grant(Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS).getId())
          .isPositive();
    }
  }

  private static ByteString randomBytes(int n) {
    byte[] b = new byte[n];
    new java.util.Random(14).nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private static long put(AimStoreClient client, String key) throws Exception {
    try {
      return client
          .kv()
          .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(VALUE).build())
          .get(10, TimeUnit.SECONDS)
          .getHeader()
          .getRevision();
    } catch (java.util.concurrent.ExecutionException e) {
      throw AimStoreException.from(e);
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void assertRefused(Call c) {
    assertThatThrownBy(c::run)
        .satisfies(
            e -> {
              AimStoreException a = AimStoreException.from(e);
              assertThat(a.code()).isEqualTo(AimStoreException.Code.RESOURCE_EXHAUSTED);
              assertThat(a.description()).contains("(NOSPACE alarm)");
            });
  }

  private static double alarmGauge(InProcessCluster cluster, int member) {
    Gauge g =
        cluster
            .node(member)
            .registry()
            .find("aimstore.alarm.active")
            .tag("alarm", "NOSPACE")
            .gauge();
    return g.value();
  }
}
