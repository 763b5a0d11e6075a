package io.aimstore.bench.workload;

import io.aimstore.bench.cluster.Cluster;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.ReadConsistency;
import io.aimstore.bench.driver.Versioned;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Which member plays which part, and waiting until members serve. */
final class Members {
  private static final AtomicLong MARKS = new AtomicLong();

  private Members() {}

  /** The leader, asking until one answers (bounded). */
  static int awaitLeader(Cluster cluster, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      OptionalInt m = cluster.leaderMember();
      if (m.isPresent()) {
        return m.getAsInt();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no member says it leads after " + limit.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }

  /** A member that does not lead now (the next one after the leader). */
  static int follower(Cluster cluster) throws InterruptedException {
    int leader = awaitLeader(cluster, Duration.ofSeconds(30));
    return leader % cluster.members() + 1;
  }

  /**
   * Waits until {@code member} serves a value written now: a marker put through {@code main}
   * (retried until acknowledged), then serializable reads on a client of that member only until
   * they return it. A member that passes has caught up at least to the marker.
   */
  static void awaitServing(Cluster cluster, Driver main, int member, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    byte[] mark =
        ("mark-" + MARKS.incrementAndGet() + "-" + System.nanoTime())
            .getBytes(StandardCharsets.UTF_8);
    String key = KeySpace.NAMESPACE + "/health";
    Exception last = null;
    boolean written = false;
    while (!written) {
      try {
        main.put(key, mark).get(5, TimeUnit.SECONDS);
        written = true;
      } catch (Exception e) {
        last = e;
        check(deadline, "marker write", last);
        Thread.sleep(100);
      }
    }
    while (true) {
      try (Driver d = cluster.connect(member)) {
        while (true) {
          Versioned v = d.get(key, ReadConsistency.SERIALIZABLE).get(5, TimeUnit.SECONDS);
          if (v.exists() && Arrays.equals(v.value(), mark)) {
            return;
          }
          check(deadline, "n" + member + " catching up", null);
          Thread.sleep(100);
        }
      } catch (Exception e) {
        if (e instanceof IllegalStateException && e.getMessage().startsWith("gave up")) {
          throw e;
        }
        last = e;
        check(deadline, "n" + member + " serving", last);
        Thread.sleep(200);
      }
    }
  }

  /** {@link #awaitServing} for every member. */
  static void awaitAllServing(Cluster cluster, Driver main, Duration limit) throws Exception {
    for (int m = 1; m <= cluster.members(); m++) {
      awaitServing(cluster, main, m, limit);
    }
  }

  private static void check(long deadline, String what, Exception last) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(
          "gave up waiting for " + what + (last == null ? "" : ": " + last));
    }
  }
}
