package io.aimstore.client;

import io.aimstore.api.v1.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A watch read by pulling: {@link #next(Duration)} returns the next revision's events. */
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

  @Override
  public void onRevision(long revision, List<Event> events) {
    queue.add(new Revision(revision, events));
  }

  @Override
  public void onCompacted(long compactRevision) {
    queue.add(
        new AimStoreException(
            io.grpc.Status.Code.OUT_OF_RANGE,
            "OUT_OF_RANGE: watch history compacted (compact revision " + compactRevision + ")",
            false,
            null));
  }

  @Override
  public void onCanceled(String reason) {
    queue.add(
        new AimStoreException(io.grpc.Status.Code.CANCELLED, "CANCELLED: " + reason, false, null));
  }

  @Override
  public void close() {
    if (handle != null) {
      handle.close();
    }
  }
}
