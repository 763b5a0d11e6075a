package io.aimstore.bench.load;

import io.aimstore.bench.driver.Driver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * Puts at a fixed rate on its own thread while a read workload is measured, so that linearizable
 * reads pay for a real commit point (a read-only load would let ReadIndex look like a lease read).
 * The rate is the same for every system; at most {@code maxInFlight} puts are outstanding, a tick
 * with none free is skipped (and counted). Stops by itself at {@code limit}.
 */
public final class BackgroundPutLoad implements RunObserver, AutoCloseable {
  private final Driver driver;
  private final List<String> keys;
  private final byte[] value;
  private final double ratePerSecond;
  private final Semaphore inFlight;
  private final Duration limit;
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private volatile boolean stopping;
  private Thread thread;
  private long windowStartNanos;
  private long windowStartCompleted;
  private double windowRate;

  public BackgroundPutLoad(
      Driver driver,
      List<String> keys,
      byte[] value,
      double ratePerSecond,
      int maxInFlight,
      Duration limit) {
    this.driver = driver;
    this.keys = keys;
    this.value = value;
    this.ratePerSecond = ratePerSecond;
    this.inFlight = new Semaphore(maxInFlight);
    this.limit = limit;
  }

  public void start() {
    if (ratePerSecond <= 0) {
      return;
    }
    thread = new Thread(this::loop, "background-puts");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long skips =
        OpenLoop.run(
            ratePerSecond,
            inFlight,
            System.nanoTime() + limit.toNanos(),
            () -> stopping,
            now -> {},
            seq ->
                OpenLoop.call(() -> driver.put(keys.get((int) (seq % keys.size())), value))
                    .whenComplete((r, e) -> (e == null ? completed : failed).increment()));
    skipped.add(skips);
  }

  /** Marks the start of the measured window (for {@link #windowRate}). */
  @Override
  public void windowOpened() {
    windowStartNanos = System.nanoTime();
    windowStartCompleted = completed.sum();
  }

  /** Marks the end of the measured window. */
  @Override
  public void windowClosed() {
    double seconds = (System.nanoTime() - windowStartNanos) / 1e9;
    windowRate = seconds <= 0 ? 0 : (completed.sum() - windowStartCompleted) / seconds;
  }

  /** Background puts per second achieved inside the measured window. */
  public double windowRate() {
    return windowRate;
  }

  public long failed() {
    return failed.sum();
  }

  public long skipped() {
    return skipped.sum();
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    if (thread != null) {
      thread.join(10_000);
    }
  }
}
