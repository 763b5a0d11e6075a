package io.aimstore.client;

import io.aimstore.api.v1.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A watch read by pulling: {@link #next(Duration)} returns the next revision's events. Events queue
 * up without bound until read; read from one thread. Close it to cancel the watch.
 */
public final class WatchIterator implements WatchListener, AutoCloseable {
  /** One revision's events. */
  public record Revision(long revision, List<Event> events) {}

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private WatchHandle handle;

  private WatchIterator() {}

  /** Starts a watch read through the returned iterator. */
  public static WatchIterator open(Watch watch, WatchOptions options) {
    WatchIterator it = new WatchIterator();
    it.handle = watch.watch(options, it);
    return it;
  }

  /**
   * The next revision, waiting up to {@code timeout}; null on timeout.
   *
   * @throws AimStoreException when the watch ended (compacted or canceled)
   */
  public Revision next(Duration timeout) throws InterruptedException {
    Object o = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (o instanceof AimStoreException e) {
      queue.add(e);
      throw e;
    }
    return (Revision) o;
  }

  /** Queues one revision (called by the watch; not for applications). */
  @Override
  public void onRevision(long revision, List<Event> events) {
    queue.add(new Revision(revision, events));
  }

  /** Ends the iterator with OUT_OF_RANGE (called by the watch; not for applications). */
  @Override
  public void onCompacted(long compactRevision) {
    queue.add(
        new AimStoreException(
            AimStoreException.Code.OUT_OF_RANGE,
            "watch history compacted (compact revision " + compactRevision + ")",
            AimStoreException.Outcome.NOT_APPLIED,
            null));
  }

  /** Ends the iterator with CANCELLED (called by the watch; not for applications). */
  @Override
  public void onCanceled(String reason) {
    queue.add(
        new AimStoreException(
            AimStoreException.Code.CANCELLED, reason, AimStoreException.Outcome.NOT_APPLIED, null));
  }

  /** Cancels the watch. */
  @Override
  public void close() {
    if (handle != null) {
      handle.close();
    }
  }
}
