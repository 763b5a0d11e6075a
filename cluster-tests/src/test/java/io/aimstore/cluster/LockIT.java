package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.LockInfo;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Locks on a three-member cluster in this JVM: queueing, expiry while waiting, force-release. */
class LockIT extends SharedInProcessFixture {

  Session session(int ttlSeconds) {
    return client.session(SessionOptions.ttl(Duration.ofSeconds(ttlSeconds)));
  }

  static AimStoreException.Code code(Throwable t) {
    return AimStoreException.from(t).code();
  }

  @Test
  void waitersAreGrantedInArrivalOrderWithIncreasingTokens() throws Exception {
    Session s1 = session(10);
    LockHandle first = client.locks().acquire("fifo", s1, Duration.ZERO);
    List<Session> sessions = new ArrayList<>();
    List<CompletableFuture<LockHandle>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Session s = session(10);
      sessions.add(s);
      waiting.add(
          CompletableFuture.supplyAsync(
              () -> client.locks().acquire("fifo", s, Duration.ofSeconds(20))));
      // let each claim be queued before the next
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      int queued = i + 1;
      while (await(client.locks().inspect("fifo")).getLock().getWaitersCount() < queued
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    LockInfo info = await(client.locks().inspect("fifo")).getLock();
    assertThat(info.getHolder().getToken()).isEqualTo(first.token());
    assertThat(info.getWaitersList())
        .extracting(w -> w.getLease())
        .containsExactly(
            sessions.get(0).leaseId(), sessions.get(1).leaseId(), sessions.get(2).leaseId());
    long previous = first.token();
    first.close();
    for (CompletableFuture<LockHandle> f : waiting) {
      LockHandle h = f.get(10, TimeUnit.SECONDS);
      assertThat(h.token()).isGreaterThan(previous);
      previous = h.token();
      h.close();
    }
    sessions.forEach(Session::close);
    s1.close();
  }

  @Test
  void aWaiterWhoseLeaseDiesIsToldAtOnceAndNeverGranted() throws Exception {
    Session holder = session(30);
    LockHandle h = client.locks().acquire("expiry", holder, Duration.ZERO);
    long lease = await(client.leases().grant(Duration.ofSeconds(2))).getId();
    CompletableFuture<?> waiter = client.locks().acquire("expiry", lease, Duration.ofSeconds(30));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
        .satisfies(e -> assertThat(code(e)).isEqualTo(AimStoreException.Code.ABORTED))
        .hasMessageContaining("lease " + lease + " expired or was revoked");
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(4.0);
    assertThat(await(client.locks().inspect("expiry")).getLock().getWaitersCount()).isZero();
    h.close();
    holder.close();
  }

  @Test
  void tryLockAndTimeoutsLeaveNoClaimBehind() {
    Session holder = session(30);
    Session other = session(30);
    LockHandle h = client.locks().acquire("busy", holder, Duration.ZERO);
    assertThatThrownBy(() -> client.locks().acquire("busy", other, Duration.ZERO))
        .satisfies(e -> assertThat(code(e)).isEqualTo(AimStoreException.Code.FAILED_PRECONDITION))
        .hasMessageContaining("lock busy is held by token " + h.token())
        .hasMessageContaining("pid " + ProcessHandle.current().pid());
    assertThatThrownBy(() -> client.locks().acquire("busy", other, Duration.ofMillis(500)))
        .satisfies(e -> assertThat(code(e)).isEqualTo(AimStoreException.Code.DEADLINE_EXCEEDED));
    assertThat(await(client.locks().inspect("busy")).getLock().getWaitersCount()).isZero();
    assertThatThrownBy(() -> await(client.locks().acquire("busy", 0, Duration.ZERO)))
        .satisfies(e -> assertThat(code(e)).isEqualTo(AimStoreException.Code.INVALID_ARGUMENT))
        .hasMessageContaining("lease");
    h.close();
    holder.close();
    other.close();
  }

  @Test
  void forceReleaseHandsTheLockOnFencesTheOldHolderAndIsAudited() throws Exception {
    try (Session old = session(30);
        Session next = session(30)) {
      LockHandle held = client.locks().acquire("cfg", old, Duration.ZERO);
      await(held.put("/aim/f/cfg", "v1"));
      CompletableFuture<LockHandle> waiter =
          CompletableFuture.supplyAsync(
              () -> client.locks().acquire("cfg", next, Duration.ofSeconds(20)));
      while (await(client.locks().inspect("cfg")).getLock().getWaitersCount() == 0) {
        Thread.sleep(20);
      }
      var r = forceRelease("cfg", "stale after crash", "ops@test", 0);
      assertThat(r.getAudit().getToken()).isEqualTo(held.token());
      LockHandle now = waiter.get(10, TimeUnit.SECONDS);
      assertThat(now.token()).isGreaterThan(held.token());
      assertThat(held.ended().get(10, TimeUnit.SECONDS)).isEqualTo(LockHandle.State.LOST);
      assertThat(old.state())
          .as("only the claim was revoked, not the session")
          .isEqualTo(Session.State.CONNECTED);
      assertThatThrownBy(() -> await(held.put("/aim/f/cfg", "late")))
          .satisfies(e -> assertThat(code(e)).isEqualTo(AimStoreException.Code.FAILED_PRECONDITION))
          .hasMessageContaining(
              "stale fencing token "
                  + held.token()
                  + " for lock cfg (current holder: "
                  + now.token()
                  + ")");
      assertThat(await(client.kv().get("/aim/f/cfg")).getKvs(0).getValue().toStringUtf8())
          .isEqualTo("v1");
      double rejected = 0;
      for (int i = 1; i <= 3; i++) {
        rejected +=
            cluster.node(i).registry().counter("aimstore.lock.stale.fence.rejections").count();
      }
      assertThat(rejected).as("the refusal is counted").isGreaterThanOrEqualTo(1);
      await(now.put("/aim/f/cfg", "v2"));
      assertThat(await(client.kv().get("/aim/f/cfg")).getKvs(0).getFenceToken())
          .isEqualTo(now.token());
      var audit = await(client.locks().audit(0)).getRecordsList();
      assertThat(audit)
          .anySatisfy(
              a -> {
                assertThat(a.getLock()).isEqualTo("cfg");
                assertThat(a.getReason()).isEqualTo("stale after crash");
                // the verified identity, not what the request said (this cluster runs insecure)
                assertThat(a.getOperator()).isEqualTo("insecure");
                assertThat(a.getHolder().getPid()).isEqualTo(ProcessHandle.current().pid());
              });
      now.close();
    }
  }

  @Test
  void quarantineKeepsEveryoneOutUntilItEnds() throws Exception {
    try (Session a = session(30);
        Session b = session(30)) {
      LockHandle held = client.locks().acquire("q", a, Duration.ZERO);
      forceRelease("q", "drill", "ops", 2_000);
      LockInfo info = await(client.locks().inspect("q")).getLock();
      assertThat(info.hasHolder()).isFalse();
      assertThat(info.getQuarantinedUntilMs()).isGreaterThan(System.currentTimeMillis());
      assertThatThrownBy(() -> client.locks().acquire("q", b, Duration.ZERO))
          .satisfies(e -> assertThat(code(e)).isEqualTo(AimStoreException.Code.FAILED_PRECONDITION))
          .hasMessageContaining("quarantined");
      long t0 = System.nanoTime();
      LockHandle after = client.locks().acquire("q", b, Duration.ofSeconds(10));
      double waited = (System.nanoTime() - t0) / 1e9;
      assertThat(waited).isBetween(0.5, 5.0);
      assertThat(after.token()).isGreaterThan(held.token());
      after.close();
    }
  }

  private ForceReleaseResponse forceRelease(
      String name, String reason, String operator, long quarantineMs) {
    return await(
        client
            .locks()
            .forceRelease(
                ForceReleaseRequest.newBuilder()
                    .setName(name)
                    .setReason(reason)
                    .setOperator(operator)
                    .setQuarantineMs(quarantineMs)
                    .build()));
  }
}
