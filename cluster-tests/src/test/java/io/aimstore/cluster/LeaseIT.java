package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimstore.api.v1.LeaseGrantRequest;
import io.aimstore.api.v1.LeaseGrpc;
import io.aimstore.api.v1.LeaseKeepAliveRequest;
import io.aimstore.api.v1.LeaseKeepAliveResponse;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.KV;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Leases on a three-member cluster in this JVM. */
class LeaseIT extends InProcessFixture {

  /** Puts {@code key} on lease {@code lease} (a lease that must exist). */
  private void putOnLease(String key, String value, long lease) {
    await(
        client
            .kv()
            .put(
                PutRequest.newBuilder()
                    .setKey(KV.utf8(key))
                    .setValue(KV.utf8(value))
                    .setLease(lease)
                    .build()));
  }

  private boolean exists(AimStoreClient c, String key) {
    return await(c.kv().get(RangeRequest.newBuilder().setKey(KV.utf8(key)).build())).getCount()
        == 1;
  }

  @Test
  void keysOfAHolderThatStopsKeepingAliveGoWithinTheBound() throws Exception {
    long id = await(client.leases().grant(Duration.ofSeconds(2))).getId();
    putOnLease("/p/a", "up", id);
    putOnLease("/p/b", "up", id);
    long lastSend = 0;
    for (int i = 0; i < 4; i++) {
      lastSend = System.nanoTime();
      assertThat(await(client.leases().keepAliveOnce(id)).getTtlMs()).isEqualTo(2000);
      Thread.sleep(500);
    }
    // the holder "dies": no more keep-alives
    AimStoreClient leader = cluster.clientOf(cluster.awaitLeader());
    while (exists(leader, "/p/a")) {
      Thread.sleep(20);
    }
    double goneAfter = (System.nanoTime() - lastSend) / 1e9;
    assertThat(exists(leader, "/p/b")).isFalse();
    // never before the TTL; no later than TTL + check interval (+ scheduling slack on 2 cores)
    assertThat(goneAfter).isBetween(2.0, 3.0);
    assertThat(await(client.leases().keepAliveOnce(id)).getTtlMs()).isZero();
  }

  @Test
  void stoppingTheLeaderLosesNoLiveSession() throws Exception {
    List<Session> sessions = new ArrayList<>();
    AtomicLong lost = new AtomicLong();
    for (int i = 0; i < 5; i++) {
      Session s = client.session(SessionOptions.ttl(Duration.ofSeconds(2)));
      s.addListener(
          (session, from, to) -> {
            if (to == Session.State.LOST) {
              lost.incrementAndGet();
            }
          });
      putOnLease("/s/" + i, "up", s.leaseId());
      sessions.add(s);
    }
    int leader = cluster.awaitLeader();
    cluster.stop(leader);
    Thread.sleep(6_000); // three TTLs
    assertThat(lost.get()).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(exists(client, "/s/" + i)).as("/s/" + i).isTrue();
      assertThat(sessions.get(i).state()).isEqualTo(Session.State.CONNECTED);
    }
    cluster.start(leader);
    sessions.forEach(Session::close);
    for (int i = 0; i < 5; i++) {
      assertThat(exists(client, "/s/" + i)).as("closing a session revokes its lease").isFalse();
    }
  }

  @Test
  void tenThousandLeasesKeptAliveByAFewStreamsNeverExpire() throws Exception {
    int n = 10_000;
    long t0 = System.nanoTime();
    Semaphore inFlight = new Semaphore(256);
    List<CompletableFuture<Long>> grants = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      CompletableFuture<Long> f =
          client.leases().grant(Duration.ofSeconds(20)).thenApply(r -> r.getId());
      f.whenComplete((v, e) -> inFlight.release());
      grants.add(f);
    }
    List<Long> ids = new ArrayList<>();
    for (CompletableFuture<Long> f : grants) {
      ids.add(f.get(60, TimeUnit.SECONDS));
    }
    System.out.printf("granted %d leases in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    int leader = cluster.awaitLeader();
    ManagedChannel ch =
        NettyChannelBuilder.forTarget(cluster.endpoint(leader)).usePlaintext().build();
    AtomicLong acks = new AtomicLong();
    AtomicLong zeroes = new AtomicLong();
    List<StreamObserver<LeaseKeepAliveRequest>> streams = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      streams.add(
          LeaseGrpc.newStub(ch)
              .keepAlive(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse r) {
                      acks.incrementAndGet();
                      if (r.getTtlMs() == 0) {
                        zeroes.incrementAndGet();
                      }
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  }));
    }
    long end = System.nanoTime() + Duration.ofSeconds(26).toNanos();
    while (System.nanoTime() < end) {
      long round = System.nanoTime();
      for (int i = 0; i < ids.size(); i++) {
        StreamObserver<LeaseKeepAliveRequest> s = streams.get(i % streams.size());
        synchronized (s) {
          s.onNext(LeaseKeepAliveRequest.newBuilder().setId(ids.get(i)).build());
        }
      }
      Thread.sleep(Math.max(0, 6_000 - (System.nanoTime() - round) / 1_000_000));
    }
    streams.forEach(StreamObserver::onCompleted);
    ch.shutdownNow();
    assertThat(zeroes.get()).isZero();
    assertThat(acks.get()).isGreaterThanOrEqualTo(4L * n);
    assertThat(cluster.node(leader).lessor().count()).isEqualTo(n);
    assertThat(
            cluster
                .node(leader)
                .registry()
                .counter("aimstore.lease.revokes", "reason", "expired")
                .count())
        .isZero();
  }

  @Test
  void badLeaseRequestsAreRefusedClearlyAndWriteNothing() {
    long rev = await(client.kv().put("anchor", "x")).getHeader().getRevision();
    assertThatThrownBy(() -> putOnLease("k", "v", 777))
        .isInstanceOfSatisfying(
            AimStoreException.class,
            e -> assertThat(e.code()).isEqualTo(AimStoreException.Code.NOT_FOUND))
        .hasMessageContaining("lease 777 not found");
    assertThatThrownBy(() -> await(client.leases().revoke(777)))
        .isInstanceOfSatisfying(
            AimStoreException.class,
            e -> assertThat(e.code()).isEqualTo(AimStoreException.Code.NOT_FOUND));
    assertThat(await(client.leases().keepAliveOnce(777)).getTtlMs()).isZero();
    assertThatThrownBy(() -> await(client.leases().grant(Duration.ofSeconds(1))))
        .isInstanceOfSatisfying(
            AimStoreException.class,
            e -> assertThat(e.code()).isEqualTo(AimStoreException.Code.INVALID_ARGUMENT))
        .hasMessageContaining("between 2 and 2592000 seconds");
    assertThatThrownBy(
            () -> await(client.leases().grant(LeaseGrantRequest.newBuilder().setTtl(10).build())))
        .isInstanceOfSatisfying(
            AimStoreException.class,
            e -> assertThat(e.code()).isEqualTo(AimStoreException.Code.INVALID_ARGUMENT))
        .hasMessageContaining("owner");
    assertThatThrownBy(
            () ->
                await(
                    client
                        .leases()
                        .grant(
                            LeaseGrantRequest.newBuilder()
                                .setTtl(10)
                                .setOwner(Owner.newBuilder().setName("x").setHost("h"))
                                .build())))
        .hasMessageContaining("owner.pid");
    assertThat(await(client.kv().get("anchor")).getHeader().getRevision()).isEqualTo(rev);
    assertThat(await(client.kv().get("k")).getCount()).isZero();
  }

  @Test
  void leaseViewsComeFromTheLeaderOnAnyMember() {
    long id = await(client.leases().grant(Duration.ofSeconds(30))).getId();
    putOnLease("/v/k", "1", id);
    int follower = cluster.awaitLeader() % 3 + 1;
    AimStoreClient viaFollower = cluster.clientOf(follower);
    var ttl = await(viaFollower.leases().timeToLive(id, true));
    assertThat(ttl.getLease().getOwner().getPid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(ttl.getLease().getRemainingMs()).isBetween(25_000L, 30_000L);
    assertThat(ttl.getLease().getLastKeepaliveAgeMs()).isBetween(0L, 5_000L);
    assertThat(ttl.getKeysList()).containsExactly(KV.utf8("/v/k"));
    assertThat(await(viaFollower.leases().keepAliveOnce(id)).getTtlMs()).isEqualTo(30_000);
    var list =
        await(
            viaFollower
                .leases()
                .list(
                    io.aimstore.api.v1.LeaseLeasesRequest.newBuilder()
                        .setOwnerHost(client.owner().getHost())
                        .build()));
    assertThat(list.getLeasesList()).extracting(l -> l.getId()).contains(id);
    assertThat(list.getLeases(0).getKeyCount()).isEqualTo(1);
  }
}
