package io.aimstore.chaos.workload;

import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.LeaseKeepAliveResponse;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.chaos.history.FencedWrite;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.KV;
import io.aimstore.client.TlsFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fenced counter: holders repeatedly take a lock on their own lease, read the counter the lock
 * guards, write counter + 1 in a put fenced by their token, and release. Now and then a holder
 * "pauses" between its read and its write for longer than its lease's TTL, keep-alives included (as
 * a stopped process would), so that its late write must be refused by the fence.
 *
 * <p>Each holder keeps its own lease alive with single keep-alives (so it can stop them) and treats
 * the lease as lost once the store says so or its last acknowledged keep-alive's send time plus the
 * TTL has passed.
 *
 * <p>Accepted writes become {@link FencedWrite}s for the {@link
 * io.aimstore.chaos.check.LockChecker}. A write with no definite answer (timeout, lost connection)
 * is resolved afterwards from what later reads of the counter found: every holder reads the counter
 * (value and the fencing token that last wrote it) before writing, and the final read does too, so
 * a write that was applied is seen by the next reader unless fencing itself is broken.
 */
public final class LockWorkload {

  /**
   * @param holders how many holders (clients) compete
   * @param locks how many locks, each guarding its own counter
   * @param ttl the holders' lease TTL (at least 2 s)
   * @param pausePct the share of rounds, in percent, in which the holder pauses past its TTL before
   *     writing
   */
  public record Settings(int holders, int locks, Duration ttl, int pausePct) {}

  /** A fenced write without a definite answer: resolved from later reads of the counter. */
  private record Uncertain(String lock, long token, int holder, long read, long written) {}

  /** What a read of a counter found: its value, the token that last wrote it, and when. */
  public record Observation(String lock, long value, long fenceToken, long modRevision) {}

  private final Settings settings;
  private final Stats stats;
  private final long seed;
  private final ClientThreads holders = new ClientThreads();
  private final ConcurrentLinkedQueue<FencedWrite> accepted = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Uncertain> uncertain = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Observation> observations = new ConcurrentLinkedQueue<>();
  private volatile boolean stopping;

  public LockWorkload(Settings settings, Stats stats, long seed) {
    this.settings = settings;
    this.stats = stats;
    this.seed = seed;
  }

  public static String lockName(int i) {
    return "chaos-lock-" + i;
  }

  /** The key of the counter lock {@code lock} guards. */
  public static String counterKey(String lock) {
    return "/chaos/counter/" + lock;
  }

  public List<String> lockNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < settings.locks(); i++) {
      names.add(lockName(i));
    }
    return names;
  }

  /**
   * Starts one thread per holder.
   *
   * @param endpoints for holder {@code i}, the members it may use
   * @param tls the cluster's client TLS files; null when it runs insecure
   */
  public void start(List<List<String>> endpoints, TlsFiles tls, long maxRoundsPerHolder) {
    for (int h = 0; h < settings.holders(); h++) {
      int id = h;
      holders.add(
          "holder-" + h,
          endpoints.get(h % endpoints.size()),
          tls,
          Duration.ofSeconds(6),
          client -> loop(id, client, maxRoundsPerHolder));
    }
    holders.start();
  }

  public void stop() {
    stopping = true;
  }

  public void join(Duration timeout) throws InterruptedException {
    holders.join(timeout);
  }

  /** Fenced writes attempted (accepted, refused, not applied or uncertain). */
  public long attempts() {
    return stats.get("fenced.accepted")
        + stats.get("fenced.refused")
        + stats.get("fenced.not_applied")
        + stats.get("fenced.uncertain");
  }

  /** One holder's lease, kept alive by its holder's thread between steps. */
  private final class Lease {
    final AimStoreClient client;
    final long id;
    final long ttlNanos;
    long validUntil;
    long lastKeepAlive;
    boolean lost;

    Lease(AimStoreClient client, long id, long grantedAt) {
      this.client = client;
      this.id = id;
      this.ttlNanos = settings.ttl().toNanos();
      this.validUntil = grantedAt + ttlNanos;
      this.lastKeepAlive = grantedAt;
    }

    /**
     * Renews if a third of the TTL has passed; returns whether the lease can still be vouched for.
     */
    boolean keepAlive() {
      long now = System.nanoTime();
      if (lost || now >= validUntil) {
        lost = true;
        return false;
      }
      if (now - lastKeepAlive < ttlNanos / 3) {
        return true;
      }
      try {
        LeaseKeepAliveResponse r =
            client.leases().keepAliveOnce(id).get(ttlNanos / 3, TimeUnit.NANOSECONDS);
        if (r.getTtlMs() <= 0) {
          lost = true;
          return false;
        }
        lastKeepAlive = now;
        validUntil = now + TimeUnit.MILLISECONDS.toNanos(r.getTtlMs());
      } catch (Exception e) {
        lastKeepAlive = now; // try again a third of a TTL later
      }
      return System.nanoTime() < validUntil;
    }
  }

  private void loop(int holder, AimStoreClient client, long maxRounds) {
    Random random = new Random(seed * 7_919L + holder);
    KV kv = client.kv();
    Lease lease = null;
    for (long round = 0; round < maxRounds && !stopping; round++) {
      String lock = lockName(random.nextInt(settings.locks()));
      boolean pause = random.nextInt(100) < settings.pausePct();
      try {
        if (lease == null || !lease.keepAlive()) {
          long t = System.nanoTime();
          long id = client.leases().grant(settings.ttl()).get(10, TimeUnit.SECONDS).getId();
          lease = new Lease(client, id, t);
        }
        long token;
        try {
          token =
              client
                  .locks()
                  .acquire(lock, lease.id, Duration.ofSeconds(2))
                  .get(20, TimeUnit.SECONDS)
                  .getToken();
        } catch (Exception e) {
          stats.add("lock.acquire_failed");
          lease.keepAlive();
          continue;
        }
        stats.add("lock.acquired");
        Lease held = lease;
        if (!held.keepAlive()) {
          continue; // the lock went with the lease
        }
        RangeResponse r = kv.get(counterKey(lock)).get(10, TimeUnit.SECONDS);
        Observation seen = observe(lock, r.getKvsCount() == 0 ? null : r.getKvs(0));
        if (pause) {
          stats.add("lock.paused");
          Thread.sleep(settings.ttl().toMillis() + 1_000); // no keep-alives either
        } else if (!held.keepAlive()) {
          continue;
        }
        long written = seen.value() + 1;
        fencedPut(holder, kv, lock, token, seen.value(), written);
        try {
          client.locks().release(lock, token).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          stats.add("lock.release_failed");
        }
        if (pause) {
          lease = null; // slept through its TTL: take a new one
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        stats.add("lock.round_failed");
        sleepQuietly(200);
      }
    }
  }

  private void fencedPut(int holder, KV kv, String lock, long token, long read, long written) {
    PutRequest put =
        PutRequest.newBuilder()
            .setKey(KV.utf8(counterKey(lock)))
            .setValue(KV.utf8(Long.toString(written)))
            .setFence(Fence.newBuilder().setLock(lock).setToken(token))
            .build();
    try {
      PutResponse r = kv.put(put).get(30, TimeUnit.SECONDS);
      long rev = r.getHeader().getRevision();
      if (rev > 0) {
        accepted.add(new FencedWrite(lock, token, holder, read, written, rev));
        stats.add("fenced.accepted");
      } else {
        uncertain.add(new Uncertain(lock, token, holder, read, written)); // no revision to order by
        stats.add("fenced.uncertain");
      }
    } catch (Exception e) {
      AimStoreException a = AimStoreException.from(e);
      if (a.code() == AimStoreException.Code.FAILED_PRECONDITION
          && a.getMessage().contains("fencing")) {
        stats.add("fenced.refused");
      } else if (a.retrySafe()) {
        stats.add("fenced.not_applied");
      } else {
        uncertain.add(new Uncertain(lock, token, holder, read, written));
        stats.add("fenced.uncertain");
      }
    }
  }

  /**
   * Records what a read of {@code lock}'s counter found ({@code null}: missing, which reads as 0).
   */
  public Observation observe(String lock, KeyValue kv) {
    Observation o;
    if (kv == null) {
      o = new Observation(lock, 0, 0, 0);
    } else {
      o =
          new Observation(
              lock,
              Long.parseLong(kv.getValue().toStringUtf8()),
              kv.getFenceToken(),
              kv.getModRevision());
    }
    observations.add(o);
    return o;
  }

  /**
   * The accepted fenced writes, with the uncertain ones that a later read showed were applied (at
   * the revision that read found).
   */
  public List<FencedWrite> acceptedWrites() {
    List<FencedWrite> out = new ArrayList<>(accepted);
    for (Uncertain u : uncertain) {
      for (Observation o : observations) {
        if (o.lock().equals(u.lock())
            && o.fenceToken() == u.token()
            && o.value() == u.written()
            && o.modRevision() > 0) {
          out.add(
              new FencedWrite(
                  u.lock(), u.token(), u.holder(), u.read(), u.written(), o.modRevision()));
          stats.add("fenced.uncertain_applied");
          break;
        }
      }
    }
    return out;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
