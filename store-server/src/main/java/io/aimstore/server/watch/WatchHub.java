package io.aimstore.server.watch;

import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.api.v1.WatchCreateRequest;
import io.aimstore.api.v1.WatchResponse;
import io.aimstore.server.core.RevisionEvents;
import io.aimstore.server.core.Store;
import io.aimstore.server.threads.DaemonThreads;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans applied events out to watchers, without ever blocking apply.
 *
 * <p>Apply hands each entry's events to {@link #publish}, which only enqueues them. A dispatcher
 * thread takes them in revision order and offers each revision to every LIVE watcher whose range it
 * touches. A watcher whose queue is full is moved to CATCHING_UP: it reads history from storage on
 * a worker thread, from the revision after the last one it delivered, and rejoins the live feed
 * once it has read everything the dispatcher has passed. Because events reach the dispatcher only
 * after they are committed to storage, a catching-up watcher always finds in storage everything the
 * live feed skipped for it, and the switch back is gap-free and duplicate-free:
 *
 * <pre>
 *   dispatched: 100 101 102 103 104 105
 *   watcher w:  100 101 [queue full at 102: rewind to 102, catch up]
 *               reads 102..104 from storage; dispatcher has passed 105 → read 105; 106 not yet
 *               dispatched → LIVE with nextRevision 106; the dispatcher skips revisions &lt; 106 for w
 * </pre>
 */
public final class WatchHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);

  private sealed interface Item permits Batch, Reset, Overflow {}

  private record Batch(List<RevisionEvents> revisions) implements Item {}

  private record Reset(long revision) implements Item {}

  /** Published revisions were dropped past the backlog limit: see {@link #publish}. */
  private record Overflow() implements Item {}

  private final HistorySource history;
  private final LongFunction<ResponseHeader> headers;
  private final WatchSettings settings;
  private final WatchMetrics metrics;
  private final LinkedBlockingQueue<Item> published = new LinkedBlockingQueue<>();

  /** Guards {@link #backlogRevisions} and {@link #overflowTo}. */
  private final Object backlog = new Object();

  /** Revisions in {@link #published} batches. */
  private int backlogRevisions;

  /** While overflowing, the last revision published and dropped; -1 otherwise. */
  private long overflowTo = -1;

  private final Thread dispatcher;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final Object lock = new Object();
  private final Set<Watcher> live = new LinkedHashSet<>();
  private final Set<Watcher> catchingUp = new LinkedHashSet<>();
  private final Set<WatchStream> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile long dispatched;
  private volatile boolean running = true;

  /**
   * @param currentRevision the store's revision now: later revisions arrive through publish
   * @param headers builds a response header for a revision
   */
  public WatchHub(
      HistorySource history,
      long currentRevision,
      LongFunction<ResponseHeader> headers,
      WatchSettings settings,
      WatchMetrics metrics) {
    this.history = history;
    this.headers = headers;
    this.settings = settings;
    this.metrics = metrics;
    this.dispatched = currentRevision;
    this.workers = Executors.newFixedThreadPool(2, DaemonThreads.numbered("watch-worker"));
    this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("watch-progress"));
    long every = settings.progressInterval().toMillis();
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            periodicProgress();
          } catch (RuntimeException e) {
            LOG.warn("event=watch_progress_failed error={}", e.toString());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    this.dispatcher = DaemonThreads.named("watch-dispatch").newThread(this::dispatchLoop);
    dispatcher.start();
  }

  /**
   * Called by apply after a batch commits: never blocks, and holds at most {@link
   * WatchSettings#dispatchBacklogRevisions} revisions in memory. Past that, the revisions are
   * dropped here and the dispatcher, when it reaches the overflow, moves every live watcher to
   * catch-up from storage, where those revisions already are (they were committed before this
   * call).
   */
  public void publish(List<RevisionEvents> revisions) {
    if (revisions.isEmpty()) {
      return;
    }
    long last = revisions.get(revisions.size() - 1).revision();
    synchronized (backlog) {
      if (overflowTo >= 0) {
        overflowTo = last;
        return;
      }
      if (backlogRevisions + revisions.size() > settings.dispatchBacklogRevisions()) {
        overflowTo = last;
        published.add(new Overflow());
        metrics.backlogOverflowed();
        return;
      }
      backlogRevisions += revisions.size();
    }
    published.add(new Batch(revisions));
  }

  /** The store was replaced by a snapshot at {@code revision}: every watcher catches up. */
  public void reset(long revision) {
    published.add(new Reset(revision));
  }

  public WatchStream openStream(ResponseSink sink) {
    WatchStream s = new WatchStream(this, sink, workers);
    streams.add(s);
    return s;
  }

  /** The last revision handed to live watchers. */
  public long dispatchedRevision() {
    return dispatched;
  }

  public int watcherCount() {
    synchronized (lock) {
      return live.size() + catchingUp.size();
    }
  }

  public int streamCount() {
    return streams.size();
  }

  public int catchingUpCount() {
    synchronized (lock) {
      return catchingUp.size();
    }
  }

  /** How many revisions the furthest-behind watcher has yet to deliver. */
  public long maxLag() {
    List<Watcher> all;
    synchronized (lock) {
      all = new ArrayList<>(live);
      all.addAll(catchingUp);
    }
    long d = dispatched;
    long lag = 0;
    for (Watcher w : all) {
      lag = Math.max(lag, d - w.deliveredRevision());
    }
    return lag;
  }

  ResponseHeader header(long revision) {
    return headers.apply(revision);
  }

  Watcher register(WatchStream stream, long id, WatchCreateRequest req) {
    Watcher w;
    boolean catchUp;
    synchronized (lock) {
      long start = req.getStartRevision() == 0 ? dispatched + 1 : req.getStartRevision();
      w = new Watcher(id, stream, req, start);
      w.offerControl(
          WatchResponse.newBuilder()
              .setHeader(header(start - 1))
              .setWatchId(id)
              .setCreated(true)
              .build());
      catchUp = start <= dispatched;
      w.mode = catchUp ? Watcher.Mode.CATCHING_UP : Watcher.Mode.LIVE;
      (catchUp ? catchingUp : live).add(w);
    }
    if (catchUp) {
      workers.execute(() -> catchUp(w));
    }
    return w;
  }

  /**
   * Removes a watcher; with a reason, tells the client it was canceled (its last response: the
   * stream forgets it once that is sent).
   */
  void unregister(Watcher w, String reason, long compactRevision) {
    synchronized (lock) {
      if (w.mode == Watcher.Mode.CANCELED) {
        return;
      }
      w.mode = Watcher.Mode.CANCELED;
      live.remove(w);
      catchingUp.remove(w);
    }
    if (reason == null) {
      w.stream.removed(w);
      return;
    }
    WatchResponse.Builder r =
        WatchResponse.newBuilder()
            .setHeader(header(dispatched))
            .setWatchId(w.id)
            .setCanceled(true)
            .setCancelReason(reason);
    if (compactRevision > 0) {
      r.setCompactRevision(compactRevision);
    }
    // after whatever is queued (a "created" not yet sent, events already read): the stream drops
    // the watcher once this is sent, so nothing of it can follow
    w.offerControl(r.build());
    w.stream.scheduleDrain();
  }

  void streamClosed(WatchStream s) {
    streams.remove(s);
  }

  void delivered(int events) {
    if (events > 0) {
      metrics.delivered(events);
    }
  }

  /** Queues a progress notification: every matching revision up to its revision is delivered. */
  void notifyProgress(Watcher w) {
    synchronized (lock) {
      long upTo =
          switch (w.mode) {
            case LIVE -> dispatched;
            case CATCHING_UP -> w.nextRevision - 1;
            default -> -1;
          };
      if (upTo >= 0) {
        w.offerControl(
            WatchResponse.newBuilder()
                .setHeader(header(upTo))
                .setWatchId(w.id)
                .setProgress(true)
                .build());
      }
    }
  }

  private void periodicProgress() {
    long now = System.nanoTime();
    long interval = settings.progressInterval().toNanos();
    for (WatchStream s : streams) {
      boolean any = false;
      for (Watcher w : s.watchers()) {
        if (w.spec.getProgressNotify() && w.idleNanos(now) >= interval) {
          notifyProgress(w);
          any = true;
        }
      }
      if (any) {
        s.scheduleDrain();
      }
    }
  }

  private void dispatchLoop() {
    while (running) {
      Item item;
      try {
        item = published.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        if (item instanceof Batch b) {
          synchronized (backlog) {
            backlogRevisions -= b.revisions().size();
          }
          dispatch(b.revisions());
        } else if (item instanceof Reset r) {
          resetTo(r.revision());
        } else if (item instanceof Overflow) {
          long to;
          synchronized (backlog) {
            to = overflowTo;
            overflowTo = -1;
          }
          LOG.warn(
              "event=watch_backlog_overflow limit_revisions={} catch_up_to={}",
              settings.dispatchBacklogRevisions(),
              to);
          resetTo(to);
        }
      } catch (RuntimeException e) {
        LOG.error("event=watch_dispatch_failed error={}", e.toString(), e);
      }
    }
  }

  private void dispatch(List<RevisionEvents> revisions) {
    Set<WatchStream> touched = new HashSet<>();
    List<Watcher> fellBehind = new ArrayList<>();
    synchronized (lock) {
      for (RevisionEvents re : revisions) {
        if (re.revision() <= dispatched) {
          continue; // already covered (replayed after a reset)
        }
        dispatched = re.revision();
        List<Watcher> behind = new ArrayList<>();
        for (Watcher w : live) {
          if (re.revision() < w.nextRevision) {
            continue;
          }
          w.nextRevision = re.revision() + 1;
          List<Event> events = w.filter(re);
          if (events.isEmpty()) {
            continue;
          }
          WatchResponse r =
              WatchResponse.newBuilder()
                  .setHeader(header(re.revision()))
                  .setWatchId(w.id)
                  .addAllEvents(events)
                  .build();
          if (w.offer(r, settings.bufferRevisions())) {
            touched.add(w.stream);
          } else {
            behind.add(w);
          }
        }
        // only the watchers that fell behind at this revision: the earlier ones are moved already
        for (Watcher w : behind) {
          live.remove(w);
          catchingUp.add(w);
          w.mode = Watcher.Mode.CATCHING_UP;
          w.nextRevision = w.rewind();
          metrics.slow();
        }
        fellBehind.addAll(behind);
      }
    }
    for (Watcher w : fellBehind) {
      LOG.debug("event=watcher_slow watch={} resume_from={}", w.id, w.nextRevision);
      workers.execute(() -> catchUp(w));
    }
    touched.forEach(WatchStream::scheduleDrain);
  }

  private void resetTo(long revision) {
    List<Watcher> moved;
    synchronized (lock) {
      dispatched = revision;
      moved = new ArrayList<>(live);
      for (Watcher w : moved) {
        w.mode = Watcher.Mode.CATCHING_UP;
        w.nextRevision = w.rewind();
      }
      catchingUp.addAll(moved);
      live.clear();
    }
    LOG.info("event=watch_reset revision={} watchers_catching_up={}", revision, moved.size());
    for (Watcher w : moved) {
      workers.execute(() -> catchUp(w));
    }
  }

  /** Resumes a catch-up that paused for room in the watcher's queue. */
  void resumeCatchUp(Watcher w) {
    workers.execute(() -> catchUp(w));
  }

  /**
   * One step of catching up: reads a chunk of history, queues it, rejoins the live feed if current.
   */
  private void catchUp(Watcher w) {
    long from;
    synchronized (lock) {
      if (w.mode != Watcher.Mode.CATCHING_UP) {
        return;
      }
      from = w.nextRevision;
    }
    if (w.queuedEvents() >= settings.bufferRevisions() / 2) {
      w.setCatchUpWaiting();
      if (w.queuedEvents() >= settings.bufferRevisions() / 2) {
        return; // the drain resumes us when there is room
      }
      w.takeCatchUpWaiting();
    }
    Store.History h;
    try {
      h = history.read(from, w.spec.getKey(), w.spec.getRangeEnd(), settings.catchUpBatchEvents());
    } catch (RuntimeException e) {
      // the store is being replaced or closed: try again shortly
      timer.schedule(() -> workers.execute(() -> catchUp(w)), 100, TimeUnit.MILLISECONDS);
      return;
    }
    if (from < h.compactRevision()) {
      unregister(
          w,
          "revision "
              + from
              + " has been compacted (compact revision "
              + h.compactRevision()
              + "); read the keys"
              + " and watch again from the read's revision + 1",
          h.compactRevision());
      return;
    }
    boolean again;
    synchronized (lock) {
      if (w.mode != Watcher.Mode.CATCHING_UP || w.nextRevision != from) {
        return;
      }
      // Storage may be ahead of the dispatcher; take only what the dispatcher has passed, and
      // leave the rest to the live feed, so a progress notification at the dispatched revision
      // never follows an event of a later revision.
      long upTo = Math.min(h.coveredUpTo(), dispatched);
      for (RevisionEvents re : h.revisions()) {
        if (re.revision() > upTo) {
          break;
        }
        List<Event> events = w.filter(re);
        if (!events.isEmpty()) {
          w.offer(
              WatchResponse.newBuilder()
                  .setHeader(header(re.revision()))
                  .setWatchId(w.id)
                  .addAllEvents(events)
                  .build(),
              Integer.MAX_VALUE);
        }
      }
      // a watch that starts after the stored revision (a reset moved it here) still starts there
      w.nextRevision = Math.max(from, upTo + 1);
      if (w.nextRevision > dispatched) {
        catchingUp.remove(w);
        live.add(w);
        w.mode = Watcher.Mode.LIVE;
        again = false;
      } else {
        again = true;
      }
    }
    w.stream.scheduleDrain();
    if (again) {
      workers.execute(() -> catchUp(w));
    }
  }

  @Override
  public void close() {
    running = false;
    dispatcher.interrupt();
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
