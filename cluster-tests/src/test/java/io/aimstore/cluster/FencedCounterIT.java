package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.KV;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lock-set test: workers repeatedly take a lock, read a counter, and write counter + 1, while
 * each of them is once "paused" past its lease TTL between the read and the write (its keep-alives
 * stop too, as with SIGSTOP). With fencing, the store refuses the paused worker's late write and no
 * increment is lost; without fencing the same schedule loses updates — so the test can fail.
 */
class FencedCounterIT extends InProcessFixture {
  private static final String LOCK = "counter-lock";
  private static final String KEY = "/counter";

  final ScheduledExecutorService keepAlives = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stopKeepAlives() {
    keepAlives.shutdownNow();
  }

  /** What a run produced. */
  record Outcome(long finalValue, List<Long> accepted, long refused) {}

  @Test
  void withFencingNoUpdateIsLost() throws Exception {
    Outcome o = run(true);
    assertThat(o.refused()).as("the paused workers' late writes are refused").isGreaterThan(0);
    assertThat(o.finalValue()).as("no lost update").isEqualTo(o.accepted().size());
    assertThat(o.accepted())
        .as("accepted in order, each exactly one more")
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void withoutFencingTheSameScheduleLosesUpdates() throws Exception {
    Outcome o = run(false);
    assertThat(o.refused()).isZero();
    assertThat(o.finalValue())
        .as("a late write overwrote a newer value")
        .isLessThan(o.accepted().size());
  }

  private Outcome run(boolean fenced) throws Exception {
    await(client.kv().put(KEY, "0"));
    ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();
    AtomicLong refused = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int id = w;
      Thread t = new Thread(() -> work(id, fenced, accepted, refused), "worker-" + w);
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      t.join(TimeUnit.SECONDS.toMillis(90));
    }
    long finalValue =
        Long.parseLong(await(client.kv().get(KEY)).getKvs(0).getValue().toStringUtf8());
    List<Long> values = new ArrayList<>(accepted);
    values.sort(Long::compare);
    return new Outcome(finalValue, values, refused.get());
  }

  private void work(
      int id, boolean fenced, ConcurrentLinkedQueue<Long> accepted, AtomicLong refused) {
    AtomicBoolean paused = new AtomicBoolean();
    long lease = grant(paused);
    for (int round = 0; round < 5; round++) {
      long token;
      try {
        token = await(client.locks().acquire(LOCK, lease, Duration.ofSeconds(30))).getToken();
      } catch (AimStoreException e) {
        lease = grant(paused); // our lease expired while we waited: start over with a new one
        continue;
      }
      long c = Long.parseLong(await(client.kv().get(KEY)).getKvs(0).getValue().toStringUtf8());
      boolean pause = round == 1 + id % 3;
      if (pause) {
        paused.set(true); // the process freezes: no keep-alives, no progress
        sleep(3_000 + 300L * id);
      }
      PutRequest.Builder put =
          PutRequest.newBuilder().setKey(KV.utf8(KEY)).setValue(KV.utf8(Long.toString(c + 1)));
      if (fenced) {
        put.setFence(Fence.newBuilder().setLock(LOCK).setToken(token));
      }
      try {
        await(client.kv().put(put.build()));
        accepted.add(c + 1);
      } catch (AimStoreException e) {
        assertThat(e.code()).isEqualTo(AimStoreException.Code.FAILED_PRECONDITION);
        refused.incrementAndGet();
      }
      try {
        await(client.locks().release(LOCK, token));
      } catch (AimStoreException e) {
        // gone with the lease
      }
      if (pause) {
        lease = grant(paused); // woke up: our old lease is gone
      }
    }
  }

  private long grant(AtomicBoolean paused) {
    long lease = await(client.leases().grant(Duration.ofSeconds(2))).getId();
    AtomicBoolean mine = new AtomicBoolean(false);
    paused.set(false);
    keepAlives.scheduleWithFixedDelay(
        () -> {
          if (paused.get() || mine.get()) {
            mine.set(true); // a lease that was paused stays dead
            return;
          }
          try {
            client.leases().keepAliveOnce(lease).get(2, TimeUnit.SECONDS);
          } catch (Exception e) {
            // the next round retries
          }
        },
        0,
        500,
        TimeUnit.MILLISECONDS);
    return lease;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
