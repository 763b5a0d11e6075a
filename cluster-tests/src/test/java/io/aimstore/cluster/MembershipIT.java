package io.aimstore.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.MemberAddRequest;
import io.aimstore.api.v1.MemberChangeResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.certs.ClusterCertificates;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.TlsFiles;
import io.aimstore.testkit.InProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership changes on a secure in-process cluster while a writer runs: grow 3 → 5 and shrink back
 * to 3, replace a dead member, and a non-admin refused. Every acknowledged write must be readable
 * afterwards on every member of the final configuration.
 */
@Timeout(120)
class MembershipIT {
  private static final String PREFIX = "/membership/";

  @TempDir Path dir;

  @Test
  void growsToFiveAndShrinksToThreeUnderWrites() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir, 3).secure().start();
        Writer writer = new Writer(cluster.client(), Duration.ofSeconds(40))) {
      AimStoreClient admin = cluster.client();
      writer.awaitAcked(20);

      for (int n = 0; n < 2; n++) {
        int i = cluster.startJoiningMember();
        add(cluster, admin, i, false);
        awaitRole(admin, "n" + i, "FOLLOWER");
        writer.awaitAcked(writer.acked() + 20);
      }
      assertThat(roles(admin).values()).filteredOn(r -> !r.equals("LISTENER")).hasSize(5);

      // a joined member restarted comes back with the configuration from its own log
      cluster.stop(5);
      writer.awaitAcked(writer.acked() + 20);
      cluster.start(5);
      awaitRole(admin, "n5", "FOLLOWER");

      // shrink: n4 and n5 go; the leader first hands over if it is one of them
      for (String gone : List.of("n4", "n5")) {
        if (leaderName(admin).equals(gone)) {
          admin.cluster().transferLeadership("n1", "it stays").join();
        }
        MemberChangeResponse r = admin.cluster().removeMember(gone, "shrink back to 3").join();
        assertThat(r.getAudit().getAction()).isEqualTo("member-remove");
        assertThat(r.getMembersList()).extracting(Member::getName).doesNotContain(gone);
        writer.awaitAcked(writer.acked() + 20);
      }
      cluster.stop(4);
      cluster.stop(5);
      writer.awaitAcked(writer.acked() + 20);
      writer.stop();
      writer.check();

      assertThat(roles(admin).keySet()).containsExactlyInAnyOrder("n1", "n2", "n3");
      // an original member restarted keeps the shrunk configuration
      cluster.stop(1);
      cluster.start(1);
      awaitRole(admin, "n1", "FOLLOWER", "LEADER");
      assertThat(roles(admin).keySet()).containsExactlyInAnyOrder("n1", "n2", "n3");
      assertAllReadable(cluster, writer, List.of(1, 2, 3));

      List<String> actions =
          admin.locks().audit(0).join().getRecordsList().stream()
              .map(AuditRecord::getAction)
              .toList();
      assertThat(actions).contains("member-add", "member-promote", "member-remove");
    }
  }

  @Test
  void replacesADeadMemberWhileWritesGoOn() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir, 3).secure().start();
        Writer writer = new Writer(cluster.clientPreferring(1, 2), Duration.ofSeconds(40))) {
      AimStoreClient admin = cluster.clientPreferring(1, 2);
      writer.awaitAcked(20);
      int dead = cluster.leader().getAsInt() == 3 ? 1 : 3;
      cluster.wipe(dead); // the host is gone, with its disk
      writer.awaitAcked(writer.acked() + 20);

      admin.cluster().removeMember("n" + dead, "host is dead").join();
      int i = cluster.startJoiningMember();
      add(cluster, admin, i, false);
      awaitRole(admin, "n" + i, "FOLLOWER");
      writer.awaitAcked(writer.acked() + 20);
      writer.stop();
      writer.check();

      List<Integer> live = new java.util.ArrayList<>(List.of(1, 2, 3, i));
      live.remove(Integer.valueOf(dead));
      assertThat(roles(admin).keySet())
          .containsExactlyInAnyOrderElementsOf(live.stream().map(k -> "n" + k).toList());
      assertAllReadable(cluster, writer, live);
    }
  }

  @Test
  void nonAdminIsRefusedAndManualPromotionWaitsForTheOperator() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir, 3).secure().start()) {
      AimStoreClient admin = cluster.client();
      ClusterCertificates certs = cluster.certs();
      Path crt = certs.client("ci", null, Duration.ofDays(1));
      try (AimStoreClient ci =
          AimStoreClient.builder()
              .endpoints(cluster.endpoints())
              .tls(new TlsFiles(certs.dir().resolve("ca.crt"), crt, ClusterCertificates.keyOf(crt)))
              .requestTimeout(Duration.ofSeconds(10))
              .build()) {
        MemberAddRequest req =
            MemberAddRequest.newBuilder()
                .setName("n4")
                .setRaftAddress("127.0.0.1:1")
                .setClientAddress("127.0.0.1:2")
                .setReason("try")
                .build();
        for (Runnable call :
            List.<Runnable>of(
                () -> ci.cluster().addMember(req).join(),
                () -> ci.cluster().removeMember("n3", "try").join(),
                () -> ci.cluster().transferLeadership("n2", "try").join())) {
          assertThat(codeOf(call)).isEqualTo(AimStoreException.Code.PERMISSION_DENIED);
        }
      }
      // no reason: refused before anything changes
      assertThat(codeOf(() -> admin.cluster().removeMember("n3", "").join()))
          .isEqualTo(AimStoreException.Code.INVALID_ARGUMENT);
      assertThat(roles(admin)).hasSize(3);

      int i = cluster.startJoiningMember();
      add(cluster, admin, i, true);
      awaitRole(admin, "n4", "LISTENER");
      Thread.sleep(2_500); // the promoter runs every second: it must leave n4 alone
      assertThat(roles(admin)).containsEntry("n4", "LISTENER");
      awaitCaughtUp(admin, "n4");
      MemberChangeResponse r = admin.cluster().promoteMember("n4", "operator checked it").join();
      assertThat(r.getAudit().getAction()).isEqualTo("member-promote");
      assertThat(roles(admin)).containsEntry("n4", "FOLLOWER");

      String leader = leaderName(admin);
      String target = leader.equals("n4") ? "n1" : "n4";
      admin.cluster().transferLeadership(target, "maintenance").join();
      awaitLeader(admin, target); // the member that answers may learn of it a heartbeat later
      assertThat(codeOf(() -> admin.cluster().removeMember(target, "leader").join()))
          .isEqualTo(AimStoreException.Code.FAILED_PRECONDITION);
    }
  }

  private static void add(InProcessCluster cluster, AimStoreClient admin, int i, boolean manual) {
    MemberChangeResponse r =
        admin
            .cluster()
            .addMember(
                MemberAddRequest.newBuilder()
                    .setName("n" + i)
                    .setRaftAddress(cluster.raftAddress(i))
                    .setClientAddress(cluster.endpoint(i))
                    .setMetricsAddress(cluster.metricsAddress(i))
                    .setManualPromote(manual)
                    .setReason("test grows the cluster")
                    .build())
            .join();
    assertThat(r.getAudit().getAction()).isEqualTo("member-add");
    assertThat(r.getAudit().getOperator()).startsWith("spiffe://aimstore/operator/");
    assertThat(r.getMembersList()).extracting(Member::getName).contains("n" + i);
  }

  private static AimStoreException.Code codeOf(Runnable call) {
    Throwable t = catchThrowable(call::run);
    assertThat(t).isNotNull();
    return AimStoreException.from(t).code();
  }

  private static Map<String, String> roles(AimStoreClient admin) {
    return admin.cluster().membersFromLeader().join().getMembersList().stream()
        .collect(Collectors.toMap(Member::getName, Member::getRole, (a, b) -> a, TreeMap::new));
  }

  private static String leaderName(AimStoreClient admin) {
    return admin.cluster().status("").join().getLeaderName();
  }

  private static void awaitLeader(AimStoreClient admin, String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!leaderName(admin).equals(name) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(leaderName(admin)).isEqualTo(name);
  }

  private static void awaitRole(AimStoreClient admin, String name, String... roles) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Map<String, String> seen = Map.of();
    while (System.nanoTime() < deadline) {
      try {
        seen = roles(admin);
        if (Set.of(roles).contains(seen.get(name))) {
          return;
        }
      } catch (RuntimeException e) {
        // an election: ask again
      }
      sleep(100);
    }
    throw new AssertionError(name + " never became " + List.of(roles) + "; members: " + seen);
  }

  private static void awaitCaughtUp(AimStoreClient admin, String name) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (Member m : admin.cluster().membersFromLeader().join().getMembersList()) {
        if (m.getName().equals(name) && m.hasLag() && m.getLag() <= 100) {
          return;
        }
      }
      sleep(100);
    }
    throw new AssertionError(name + " never caught up");
  }

  /** Every acknowledged write, read linearizably through each of {@code members}. */
  private static void assertAllReadable(
      InProcessCluster cluster, Writer writer, List<Integer> members) {
    for (int i : members) {
      AimStoreClient c = cluster.clientOf(i);
      Map<String, String> stored = new TreeMap<>();
      c.kv()
          .get(
              RangeRequest.newBuilder()
                  .setKey(ByteString.copyFromUtf8(PREFIX))
                  .setRangeEnd(KeyRanges.prefixEnd(ByteString.copyFromUtf8(PREFIX)))
                  .build())
          .join()
          .getKvsList()
          .forEach(kv -> stored.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
      assertThat(stored).as("member n" + i).containsAllEntriesOf(writer.ackedWrites());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Puts {@code PREFIX<n>} one after another, bounded in time and count, remembering every write
   * the cluster acknowledged; failures (an election, a configuration change) are retried with the
   * next key.
   */
  static final class Writer implements AutoCloseable {
    private static final int MAX_WRITES = 50_000;
    private final AimStoreClient client;
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicInteger failed =
        new java.util.concurrent.atomic.AtomicInteger();

    Writer(AimStoreClient client, Duration limit) {
      this.client = client;
      long deadline = System.nanoTime() + limit.toNanos();
      this.thread =
          new Thread(
              () -> {
                for (int n = 0;
                    n < MAX_WRITES && !stop.get() && System.nanoTime() < deadline;
                    n++) {
                  String key = PREFIX + String.format("%06d", n);
                  try {
                    client.kv().put(key, "v" + n).join();
                    acked.put(key, "v" + n);
                  } catch (RuntimeException e) {
                    failed.incrementAndGet(); // outcome unknown: not counted as acknowledged
                  }
                }
              },
              "membership-writer");
      thread.setDaemon(true);
      thread.start();
    }

    int acked() {
      return acked.size();
    }

    Map<String, String> ackedWrites() {
      return new TreeMap<>(acked);
    }

    void awaitAcked(int n) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (acked.size() < n) {
        if (System.nanoTime() > deadline || !thread.isAlive()) {
          throw new AssertionError("writes stalled at " + acked.size() + " acknowledged");
        }
        sleep(20);
      }
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join(30_000);
    }

    /** The writer made progress, and most writes were acknowledged. */
    void check() {
      assertThat(acked.size()).isGreaterThan(failed.get() * 10);
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
