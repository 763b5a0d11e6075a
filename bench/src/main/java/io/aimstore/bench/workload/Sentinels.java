package io.aimstore.bench.workload;

import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.Watchers;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Knowing when watches are registered: each client gets one more watch, on a sentinel key, after
 * all the others; the sentinels are written until every one has fired. A client's requests are
 * handled in order, so a fired sentinel means its earlier watches are registered too. (A sentinel
 * written before its watch is registered is missed, hence the repeated writes.)
 */
final class Sentinels {
  private Sentinels() {}

  static void await(Watchers watchers, Driver driver, String tag, Duration limit) throws Exception {
    int n = watchers.clients();
    CountDownLatch fired = new CountDownLatch(n);
    String[] keys = new String[n];
    for (int c = 0; c < n; c++) {
      keys[c] = KeySpace.NAMESPACE + "/sentinel-" + tag + "-" + c;
      AtomicBoolean once = new AtomicBoolean();
      watchers.watch(
          c,
          keys[c],
          (key, revision, at) -> {
            if (once.compareAndSet(false, true)) {
              fired.countDown();
            }
          });
    }
    long deadline = System.nanoTime() + limit.toNanos();
    byte[] value = {1};
    while (!fired.await(500, TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            fired.getCount() + " of " + n + " watch clients not registered after " + limit);
      }
      for (String k : keys) {
        driver.put(k, value);
      }
    }
  }
}
