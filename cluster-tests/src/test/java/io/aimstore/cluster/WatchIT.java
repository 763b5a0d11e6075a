package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.ConfigWatcher;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.client.WatchHandle;
import io.aimstore.client.WatchIterator;
import io.aimstore.client.WatchListener;
import io.aimstore.client.WatchOptions;
import io.aimstore.server.AimstoreNode;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Watches on a three-member cluster in this JVM: exactly-once delivery across the loss of the
 * member a watch is connected to, resuming on another member, progress, and {@link ConfigWatcher}.
 */
class WatchIT extends InProcessFixture {

  /**
   * A client of one member, connected: a read (retried until the request deadline) opens the
   * connection, so that a slow first connect on a loaded machine cannot fail the first write.
   */
  private AimStoreClient connectedClientOf(int member) {
    return connected(cluster.clientOf(member));
  }

  private static AimStoreClient connected(AimStoreClient c) {
    await(c.kv().get("/warm-up"));
    return c;
  }

  /** A client of every member, trying them in {@code order} first, then the others, connected. */
  private AimStoreClient clientPreferring(int... order) {
    return connected(cluster.clientPreferring(order));
  }

  /** Records what a watch delivers, and whether the listener was ever called concurrently. */
  static final class Recorder implements WatchListener {
    final List<Long> revisions = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<Long> progress = new CopyOnWriteArrayList<>();
    final AtomicInteger inCall = new AtomicInteger();
    final AtomicBoolean overlapped = new AtomicBoolean();
    volatile long compacted;
    volatile String canceled;

    private void enter() {
      if (inCall.incrementAndGet() > 1) {
        overlapped.set(true);
      }
    }

    @Override
    public void onRevision(long revision, List<Event> evs) {
      enter();
      revisions.add(revision);
      events.addAll(evs);
      inCall.decrementAndGet();
    }

    @Override
    public void onProgress(long revision) {
      enter();
      progress.add(revision);
      inCall.decrementAndGet();
    }

    @Override
    public void onCompacted(long compactRevision) {
      compacted = compactRevision;
    }

    @Override
    public void onCanceled(String reason) {
      canceled = reason;
    }
  }

  /** Watches open on a member (its gauge), 0 when it is stopped. */
  private double watchersOn(int member) {
    AimstoreNode n = cluster.node(member);
    if (n == null) {
      return 0;
    }
    Gauge g = n.registry().find("aimstore.watch.watchers").gauge();
    assertThat(g).as("watch gauge on n%d", member).isNotNull();
    return g.value();
  }

  private void awaitWatchOn(int member) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(watchersOn(member)).isEqualTo(1.0));
  }

  private static long put(AimStoreClient c, String key, String value) {
    return await(c.kv().put(key, value)).getHeader().getRevision();
  }

  @Test
  void aWatchGetsEveryRevisionOfABurstOnceInOrderWhileItsMemberIsStoppedAndRestarted() {
    int leader = cluster.awaitLeader();
    int follower = leader % 3 + 1;
    int other = 6 - leader - follower;
    AimStoreClient writer = connectedClientOf(leader);
    AimStoreClient watcher = clientPreferring(follower, other, leader);

    long before = put(writer, "/other", "x");
    Recorder rec = new Recorder();
    WatchHandle h =
        watcher.watch().watch(WatchOptions.prefix("/burst/").fromRevision(before + 1), rec);
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      if (i == 100) {
        awaitWatchOn(follower);
        cluster.stop(follower); // the member the watch is connected to
      }
      if (i == 200) {
        cluster.start(follower);
      }
      if (i == 250) {
        awaitWatchOn(other); // where the watch went next
        cluster.stop(other);
      }
      written.add(put(writer, "/burst/" + (i % 10), "v" + i));
      if (i % 50 == 0) {
        put(writer, "/other", "y" + i);
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> rec.revisions.size() >= written.size());

    assertThat(rec.revisions).containsExactlyElementsOf(written);
    awaitWatchOn(leader); // the third member it was served by
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      values.add("v" + i);
    }
    assertThat(rec.events).extracting(e -> e.getKv().getValue().toStringUtf8()).isEqualTo(values);
    assertThat(rec.events).allMatch(e -> !e.hasPrevKv());
    assertThat(rec.compacted).isZero();
    assertThat(rec.canceled).isNull();
    assertThat(rec.overlapped).isFalse();
    assertThat(h.isDone()).isFalse();
    assertThat(h.lastRevision()).isGreaterThanOrEqualTo(written.get(written.size() - 1));
    h.close();
    assertThat(h.isDone()).isTrue();
  }

  @Test
  void aWatchResumesFromItsLastRevisionPlusOneOnAnotherMember() throws Exception {
    AimStoreClient one = connectedClientOf(1);
    AimStoreClient three = connectedClientOf(3);
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      written.add(
          i % 7 == 6
              ? await(one.kv().delete("/resume/" + (i % 5))).getHeader().getRevision()
              : put(one, "/resume/" + (i % 5), "v" + i));
    }

    // read the first 20 revisions on member 1, then resume on member 3 where it stopped
    List<Long> seen = new ArrayList<>();
    try (WatchIterator it =
        one.watch().iterator(WatchOptions.prefix("/resume/").fromRevision(written.get(0)))) {
      while (seen.size() < 20) {
        WatchIterator.Revision r = it.next(Duration.ofSeconds(10));
        assertThat(r).as("revision %d on member 1", seen.size()).isNotNull();
        seen.add(r.revision());
      }
    }
    long last = seen.get(seen.size() - 1);
    try (WatchIterator it =
        three.watch().iterator(WatchOptions.prefix("/resume/").fromRevision(last + 1))) {
      for (int i = 50; i < 60; i++) {
        written.add(put(one, "/resume/" + (i % 5), "v" + i));
      }
      while (seen.size() < written.size()) {
        WatchIterator.Revision r = it.next(Duration.ofSeconds(10));
        assertThat(r).as("revision %d on member 3", seen.size()).isNotNull();
        seen.add(r.revision());
      }
      assertThat(it.next(Duration.ofMillis(300))).as("nothing more").isNull();
    }
    assertThat(seen).containsExactlyElementsOf(written);
  }

  @Test
  void progressNotificationsAdvanceWithTheStoreWhileTheWatchedKeysAreQuiet() {
    int leader = cluster.awaitLeader();
    AimStoreClient writer = connectedClientOf(leader);
    AimStoreClient watcher = clientPreferring(leader % 3 + 1);
    Recorder rec = new Recorder();
    WatchHandle h = watcher.watch().watch(WatchOptions.prefix("/quiet/").withProgressNotify(), rec);
    noiseUntilProgress(writer, rec, "a");
    long r2 = noiseUntilProgress(writer, rec, "b");

    assertThat(rec.progress).isSorted();
    assertThat(rec.progress.stream().distinct().count()).isGreaterThanOrEqualTo(2);
    assertThat(rec.revisions).isEmpty();
    assertThat(h.lastRevision()).isGreaterThanOrEqualTo(r2);
    h.close();
  }

  /**
   * Five puts outside the watched prefix, then waits until the watch reports progress up to the
   * last of them; returns that revision.
   */
  private static long noiseUntilProgress(AimStoreClient writer, Recorder rec, String tag) {
    long last = 0;
    for (int i = 0; i < 5; i++) {
      last = put(writer, "/noise", tag + i);
    }
    long revision = last;
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> rec.progress.stream().anyMatch(p -> p >= revision));
    return revision;
  }

  /** Records what a {@link ConfigWatcher} hands the application. */
  static final class ConfigRecorder implements ConfigWatcher.Listener {
    final List<KeyValue> applied = new CopyOnWriteArrayList<>();
    final List<KeyValue> rejected = new CopyOnWriteArrayList<>();
    final List<String> reasons = new CopyOnWriteArrayList<>();

    @Override
    public void onConfig(KeyValue config) {
      applied.add(config);
    }

    @Override
    public void onRejected(KeyValue config, String reason) {
      rejected.add(config);
      reasons.add(reason);
    }

    List<String> values() {
      return applied.stream().map(kv -> kv.getValue().toStringUtf8()).toList();
    }
  }

  @Test
  void configWatcherDeliversEachValueOnceAcrossAReconnectAndRefusesAnOlderFence() {
    int leader = cluster.awaitLeader();
    int follower = leader % 3 + 1;
    AimStoreClient writer = connectedClientOf(leader);
    String key = "/aim/drone-7/config";
    put(writer, key, "v0");
    put(writer, "/aim/drone-8/config", "other");

    AimStoreClient drone = clientPreferring(follower);
    ConfigRecorder rec = new ConfigRecorder();
    ConfigWatcher cw = ConfigWatcher.start(drone, key, rec);
    assertThat(rec.values()).containsExactly("v0");

    List<String> expected = new ArrayList<>(List.of("v0"));
    for (int i = 1; i <= 40; i++) {
      if (i == 15) {
        awaitWatchOn(follower);
        cluster.stop(follower);
      }
      if (i == 30) {
        cluster.start(follower);
      }
      put(writer, key, "v" + i);
      put(writer, "/aim/drone-8/config", "o" + i);
      expected.add("v" + i);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> rec.applied.size() >= expected.size());
    assertThat(rec.values()).isEqualTo(expected);

    // two locks: tokens are create revisions, so the one acquired later has the greater token
    Session session = writer.session(SessionOptions.ttl(Duration.ofSeconds(10)));
    LockHandle older = writer.locks().acquire("drone-7-a", session, Duration.ofSeconds(5));
    LockHandle newer = writer.locks().acquire("drone-7-b", session, Duration.ofSeconds(5));
    assertThat(newer.token()).isGreaterThan(older.token());
    await(newer.put(key, "fenced-new"));
    await(older.put(key, "fenced-old")); // valid for the store: its lock is still held
    await(writer.kv().put(key, "unfenced"));
    await(newer.put(key, "fenced-new-2"));
    expected.addAll(List.of("fenced-new", "unfenced", "fenced-new-2"));
    await().atMost(Duration.ofSeconds(20)).until(() -> rec.applied.size() >= expected.size());

    assertThat(rec.values()).isEqualTo(expected);
    assertThat(rec.rejected)
        .singleElement()
        .satisfies(
            kv -> {
              assertThat(kv.getValue().toStringUtf8()).isEqualTo("fenced-old");
              assertThat(kv.getFenceToken()).isEqualTo(older.token());
            });
    assertThat(rec.reasons.get(0)).contains("lock mismatch");
    assertThat(rec.applied.get(rec.applied.size() - 1).getFenceToken()).isEqualTo(newer.token());
    assertThat(cw.highestAppliedToken()).isEqualTo(newer.token());
    assertThat(rec.applied).extracting(KeyValue::getModRevision).isSorted().doesNotHaveDuplicates();
    cw.close();
    newer.close();
    older.close();
    session.close();
  }
}
