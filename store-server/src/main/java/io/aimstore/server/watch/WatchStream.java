package io.aimstore.server.watch;

import io.aimstore.api.v1.WatchCreateRequest;
import io.aimstore.api.v1.WatchResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client stream carrying many watches. Responses wait in each watcher's queue and are sent by a
 * drain that runs on a worker thread, one at a time per stream, only while the receiver is ready
 * (gRPC flow control): a slow receiver fills its own queues, never anyone else's.
 */
public final class WatchStream {
  private final WatchHub hub;
  private final ResponseSink sink;
  private final Executor executor;

  /**
   * In creation order: the drain visits watchers in this order, so the "created" responses (each
   * the first of its watcher's queue) go out in the order the creates came, as etcd's clients
   * expect.
   */
  private final Map<Long, Watcher> watchers = Collections.synchronizedMap(new LinkedHashMap<>());

  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong autoIds = new AtomicLong();
  private volatile boolean closed;

  WatchStream(WatchHub hub, ResponseSink sink, Executor executor) {
    this.hub = hub;
    this.sink = sink;
    this.executor = executor;
  }

  /** Starts a watch (its "created" response, then events, follow on the stream). */
  public void create(WatchCreateRequest req) {
    long id = req.getWatchId();
    if (id == 0) {
      do {
        id = autoIds.incrementAndGet();
      } while (watchers.containsKey(id));
    }
    if (watchers.containsKey(id) || id < 0) {
      sendControl(
          WatchResponse.newBuilder()
              .setHeader(hub.header(0))
              .setWatchId(id)
              .setCanceled(true)
              .setCancelReason(
                  id < 0
                      ? "watch id must be >= 0"
                      : "watch id " + id + " is already in use on this stream")
              .build());
      return;
    }
    Watcher w = hub.register(this, id, req);
    watchers.put(id, w);
    scheduleDrain();
  }

  public void cancel(long id) {
    Watcher w = watchers.get(id);
    if (w != null) {
      hub.unregister(w, "canceled by the client", 0);
    }
  }

  /** Every watch of the stream gets a progress notification. */
  public void progress() {
    for (Watcher w : snapshot()) {
      hub.notifyProgress(w);
    }
    scheduleDrain();
  }

  /** The client went away. */
  public void close() {
    closed = true;
    for (Watcher w : snapshot()) {
      hub.unregister(w, null, 0);
    }
    watchers.clear();
    hub.streamClosed(this);
  }

  void removed(Watcher w) {
    watchers.remove(w.id, w);
  }

  int size() {
    return watchers.size();
  }

  List<Watcher> watchers() {
    return snapshot();
  }

  /** The watchers now, in creation order. */
  private List<Watcher> snapshot() {
    synchronized (watchers) {
      return new ArrayList<>(watchers.values());
    }
  }

  /** The receiver can take more: resume sending. */
  public void onReady() {
    scheduleDrain();
  }

  private void sendControl(WatchResponse r) {
    executor.execute(
        () -> {
          synchronized (this) {
            sink.send(r);
          }
        });
  }

  void scheduleDrain() {
    if (!closed && draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    try {
      boolean progress = true;
      while (progress && !closed && sink.isReady()) {
        progress = false;
        for (Watcher w : snapshot()) {
          WatchResponse r = w.poll();
          if (r != null) {
            synchronized (this) {
              sink.send(r);
            }
            hub.delivered(r.getEventsCount());
            progress = true;
            if (r.getCanceled()) {
              removed(w); // its last response
            } else if (w.takeCatchUpWaiting()) {
              hub.resumeCatchUp(w);
            }
            if (!sink.isReady()) {
              break;
            }
          }
        }
      }
    } catch (RuntimeException e) {
      sink.fail(e);
      close();
    } finally {
      draining.set(false);
    }
    if (!closed && sink.isReady() && snapshot().stream().anyMatch(Watcher::hasQueued)) {
      scheduleDrain();
    }
  }
}
