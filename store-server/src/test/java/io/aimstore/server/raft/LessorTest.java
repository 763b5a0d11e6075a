package io.aimstore.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.LeaseGrant;
import io.aimstore.internal.LogEntry;
import io.aimstore.internal.RevokeReason;
import io.aimstore.server.ManualClock;
import io.aimstore.server.core.Access;
import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.Limits;
import io.aimstore.server.core.Store;
import io.aimstore.server.storage.RocksBackend;
import io.aimstore.server.storage.StorageOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's lessor over a real store, with a fake monotonic clock and a "log" that applies every
 * proposal at once: no sockets, no sleeping.
 */
class LessorTest {
  static final LessorSettings NO_GRACE =
      new LessorSettings(Duration.ofMillis(100), 500, Duration.ofSeconds(1), Duration.ZERO);
  @TempDir Path dir;
  Store store;
  long index;
  final ManualClock clock = new ManualClock(1_000);
  final List<Command> proposed = new ArrayList<>();
  final List<Lessor> lessors = new ArrayList<>();
  Lessor lessor;

  @BeforeEach
  void open() throws IOException {
    store = new Store(RocksBackend.open(dir.resolve("kv"), StorageOptions.DEFAULT), Limits.DEFAULT);
    lessor = newLessor(NO_GRACE);
    lessor.load(store);
    lessor.onLeaderReady();
  }

  @AfterEach
  void close() {
    store.backend().close();
  }

  /** A lessor whose proposals are applied to the store immediately, as a one-member log would. */
  Lessor newLessor(LessorSettings settings) {
    Lessor[] self = new Lessor[1];
    self[0] =
        new Lessor(
            clock::nanos,
            cmd ->
                CompletableFuture.completedFuture(
                    apply(cmd.setProposedAtMs(clock.millis()).build())),
            settings,
            LessorMetrics.NONE);
    lessors.add(self[0]);
    return self[0];
  }

  /** A lessor (not loaded yet) whose proposals are kept in {@code held} and never commit. */
  Lessor lessorWhoseProposalsNeverCommit(List<Command> held) {
    return new Lessor(
        clock::nanos,
        cmd -> {
          held.add(cmd.build());
          return new CompletableFuture<>();
        },
        NO_GRACE,
        LessorMetrics.NONE);
  }

  CommandResult apply(Command c) {
    proposed.add(c);
    ApplyResult r = store.apply(LogEntry.newBuilder().addCommands(c).build(), 1, ++index);
    for (Lessor l : lessors) {
      l.onApplied(index, r);
    }
    return r.results().get(0);
  }

  long grant(long ttlSeconds) {
    Owner owner = Owner.newBuilder().setName("t").setHost("h").setPid(1).build();
    return apply(
            Command.newBuilder()
                .setLeaseGrant(LeaseGrant.newBuilder().setTtlSeconds(ttlSeconds).setOwner(owner))
                .build())
        .getLeaseGrant()
        .getId();
  }

  void put(String key, long lease) {
    apply(
        Command.newBuilder()
            .setPut(
                PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key))
                    .setValue(ByteString.copyFromUtf8("v"))
                    .setLease(lease))
            .build());
  }

  long liveKeys() {
    return store
        .range(
            RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("\0"))
                .setRangeEnd(ByteString.copyFromUtf8("\0"))
                .build())
        .getCount();
  }

  void advanceMs(long ms) {
    clock.advance(Duration.ofMillis(ms));
  }

  long expiries() {
    return proposed.stream()
        .filter(c -> c.hasLeaseRevoke() && c.getLeaseRevoke().getReason() == RevokeReason.EXPIRED)
        .count();
  }

  @Test
  void aLeaseExpiresAtItsDeadlineAndTakesItsKeysInOneRevision() {
    long id = grant(2);
    put("a", id);
    put("b", id);
    long before = store.revision();
    advanceMs(1_999);
    lessor.tick();
    assertThat(expiries()).isZero();
    advanceMs(1);
    lessor.tick();
    assertThat(expiries()).isEqualTo(1);
    assertThat(store.lease(id)).isNull();
    assertThat(liveKeys()).isZero();
    assertThat(store.revision()).isEqualTo(before + 1);
  }

  @Test
  void keepAlivesPushTheDeadline() {
    long id = grant(2);
    for (int i = 0; i < 10; i++) {
      advanceMs(1_500);
      assertThat(lessor.keepAlive(id, Access.SYSTEM).join().remainingMs()).isEqualTo(2_000);
      lessor.tick();
    }
    assertThat(expiries()).isZero();
    advanceMs(2_000);
    lessor.tick();
    assertThat(expiries()).isEqualTo(1);
  }

  @Test
  void aKeepAliveAtTheDeadlineBeforeTheCheckRenews() {
    long id = grant(2);
    advanceMs(2_000);
    assertThat(lessor.keepAlive(id, Access.SYSTEM).join().remainingMs()).isEqualTo(2_000);
    lessor.tick();
    assertThat(expiries()).isZero();
  }

  @Test
  void aKeepAliveAfterTheLeaderDecidedExpiryIsAnsweredWithZero() {
    List<Command> held = new ArrayList<>();
    Lessor slowLog = lessorWhoseProposalsNeverCommit(held);
    slowLog.load(store);
    slowLog.onLeaderReady();
    long id = grant(2);
    slowLog.onApplied(
        index,
        new ApplyResult(
            List.of(),
            List.of(),
            List.of(new io.aimstore.server.core.LeaseChange.Granted(id, 2, "")),
            List.of(),
            0));
    advanceMs(2_000);
    slowLog.tick();
    assertThat(held).hasSize(1);
    assertThat(slowLog.keepAlive(id, Access.SYSTEM).join().remainingMs()).isZero();
  }

  @Test
  void expiryIsRateLimitedOldestFirst() {
    Lessor limited =
        newLessor(
            new LessorSettings(Duration.ofMillis(100), 50, Duration.ofSeconds(1), Duration.ZERO));
    lessors.remove(lessor);
    lessor.onStepDown();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      ids.add(grant(2));
      advanceMs(1);
    }
    limited.load(store);
    limited.onLeaderReady();
    // After a promote every lease gets a full TTL from the same moment; stagger them again.
    for (int i = 0; i < ids.size(); i++) {
      advanceMs(1);
      limited.keepAlive(ids.get(i), Access.SYSTEM).join();
    }
    advanceMs(5_000);
    limited.tick();
    assertThat(expiries()).isEqualTo(50);
    List<Long> firstWave =
        proposed.stream()
            .filter(Command::hasLeaseRevoke)
            .map(c -> c.getLeaseRevoke().getId())
            .toList();
    assertThat(firstWave).containsExactlyElementsOf(ids.subList(0, 50));
    limited.tick();
    limited.tick();
    assertThat(expiries()).isEqualTo(120);
    assertThat(limited.count()).isZero();
  }

  @Test
  void aNewLeaderRenewsEveryLeaseBeforeExpiringAny() {
    long id = grant(3);
    put("k", id);
    lessor.onStepDown();
    advanceMs(10_000); // the election took longer than the TTL
    Lessor next = newLessor(NO_GRACE);
    next.load(store);
    next.onLeaderReady();
    next.tick();
    assertThat(expiries()).isZero();
    advanceMs(2_999);
    next.tick();
    assertThat(expiries()).isZero();
    advanceMs(1);
    next.tick();
    assertThat(expiries()).isEqualTo(1);
  }

  @Test
  void aCheckpointStopsRepeatedElectionsFromKeepingADeadLeaseAlive() {
    long id = grant(10);
    advanceMs(5_000); // silent for half its TTL
    lessor.tick();
    assertThat(store.lease(id).getCheckpointRemainingMs()).isEqualTo(5_000);
    // elections every 4 s: each new leader starts from the checkpoint, not from a full TTL
    long elapsed = 0;
    while (store.lease(id) != null && elapsed < 60_000) {
      lessors.forEach(Lessor::onStepDown);
      Lessor next = newLessor(NO_GRACE);
      next.load(store);
      next.onLeaderReady();
      for (int i = 0; i < 40 && store.lease(id) != null; i++) {
        advanceMs(100);
        elapsed += 100;
        next.tick();
      }
    }
    assertThat(store.lease(id)).isNull();
    // 5 s were left at the first checkpoint; each 4 s term records about 3 s of progress
    assertThat(elapsed).isLessThanOrEqualTo(10_000);
  }

  @Test
  void aKeepAliveClearsTheCheckpointThroughTheLogBeforeItIsAcknowledged() {
    long id = grant(10);
    advanceMs(5_000);
    lessor.tick();
    assertThat(store.lease(id).getCheckpointRemainingMs()).isEqualTo(5_000);
    assertThat(lessor.keepAlive(id, Access.SYSTEM).join().remainingMs()).isEqualTo(10_000);
    assertThat(store.lease(id).getCheckpointRemainingMs()).isZero();
    // so a failover now gives the live holder its full TTL (etcd-io/etcd#13491)
    lessor.onStepDown();
    Lessor next = newLessor(NO_GRACE);
    next.load(store);
    next.onLeaderReady();
    advanceMs(9_999);
    next.tick();
    assertThat(expiries()).isZero();
  }

  @Test
  void aNewLeaderAddsAGraceForKeepAlivesItsDeposedPredecessorAcknowledged() {
    long id = grant(3);
    lessor.onStepDown();
    Lessor next =
        newLessor(
            new LessorSettings(
                Duration.ofMillis(100), 500, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    next.load(store);
    next.onLeaderReady();
    advanceMs(3_999);
    next.tick();
    assertThat(expiries()).isZero();
    advanceMs(1);
    next.tick();
    assertThat(expiries()).isEqualTo(1);
    assertThat(store.lease(id)).isNull();
  }

  @Test
  void aKeepAliveRacingAnInFlightCheckpointStillClearsIt() {
    List<Command> held = new ArrayList<>();
    Lessor slow =
        new Lessor(
            clock::nanos,
            cmd -> {
              held.add(cmd.build());
              return CompletableFuture.completedFuture(CommandResult.getDefaultInstance());
            },
            NO_GRACE,
            LessorMetrics.NONE);
    long id = grant(10);
    slow.load(store);
    slow.onLeaderReady();
    advanceMs(5_000);
    slow.tick(); // proposes a checkpoint that has not been applied yet
    assertThat(held).hasSize(1);
    assertThat(held.get(0).getLeaseCheckpoint().getEntries(0).getRemainingMs()).isEqualTo(5_000);
    slow.keepAlive(id, Access.SYSTEM).join();
    assertThat(held).as("the keep-alive clears the checkpoint through the log").hasSize(2);
    assertThat(held.get(1).getLeaseCheckpoint().getEntries(0).getRemainingMs()).isZero();
    // and if the checkpoint is applied after the keep-alive anyway, the next tick clears it again
    slow.onApplied(
        99,
        new ApplyResult(
            List.of(),
            List.of(),
            List.of(new io.aimstore.server.core.LeaseChange.Checkpointed(id, 5_000)),
            List.of(),
            0));
    slow.tick();
    assertThat(held.get(held.size() - 1).getLeaseCheckpoint().getEntries(0).getRemainingMs())
        .isZero();
  }

  @Test
  void healthyLeasesAreNeverCheckpointed() {
    long id = grant(9);
    for (int i = 0; i < 30; i++) {
      advanceMs(3_000);
      lessor.keepAlive(id, Access.SYSTEM).join();
      lessor.tick();
    }
    assertThat(proposed.stream().filter(Command::hasLeaseCheckpoint)).isEmpty();
  }

  @Test
  void followersNeitherExpireNorAcceptKeepAlives() {
    long id = grant(2);
    lessor.onStepDown();
    advanceMs(60_000);
    lessor.tick();
    assertThat(expiries()).isZero();
    assertThat(lessor.overdueSeconds()).isZero();
    assertThatThrownBy(() -> lessor.keepAlive(id, Access.SYSTEM))
        .isInstanceOf(Lessor.NotLeaderException.class);
  }

  @Test
  void theGhostGaugeShowsALeasePastItsDeadline() {
    List<Command> held = new ArrayList<>();
    Lessor stuck = lessorWhoseProposalsNeverCommit(held);
    long id = grant(2);
    stuck.load(store);
    stuck.onLeaderReady();
    advanceMs(3_500);
    assertThat(stuck.overdueSeconds()).isEqualTo(1.5);
    assertThat(stuck.live(id).remainingMs()).isZero();
  }

  @Test
  void anUnknownLeaseIsRenewedToZero() {
    assertThat(lessor.keepAlive(424242, Access.SYSTEM).join().remainingMs()).isZero();
  }
}
