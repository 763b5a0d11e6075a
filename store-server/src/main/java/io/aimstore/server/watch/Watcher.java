package io.aimstore.server.watch;

import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.WatchCreateRequest;
import io.aimstore.api.v1.WatchResponse;
import io.aimstore.server.core.RevisionEvents;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One watch: what it watches, and the responses queued for it.
 *
 * <p>{@link #mode} and {@link #nextRevision} belong to the hub and change only under its lock. The
 * queue and {@link #deliveredRevision} are guarded by this object's monitor: the stream's drain
 * takes responses from it while the hub adds to it.
 */
final class Watcher {
  enum Mode {
    /** Fed by the hub as revisions are applied. */
    LIVE,
    /** Fell behind or started in the past: reads history from storage until it is current. */
    CATCHING_UP,
    CANCELED
  }

  final long id;
  final WatchStream stream;
  final WatchCreateRequest spec;
  private final boolean noPut;
  private final boolean noDelete;

  Mode mode;

  /** The next revision this watcher needs (hub lock). */
  long nextRevision;

  private final ArrayDeque<WatchResponse> queue = new ArrayDeque<>();
  private int queuedEvents;

  /** The last revision whose events were handed to the stream. */
  private long deliveredRevision;

  private boolean catchUpWaiting;
  private long lastSendNanos = System.nanoTime();

  Watcher(long id, WatchStream stream, WatchCreateRequest spec, long nextRevision) {
    this.id = id;
    this.stream = stream;
    this.spec = spec;
    this.noPut = spec.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
    this.noDelete = spec.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
    this.nextRevision = nextRevision;
    this.deliveredRevision = nextRevision - 1;
  }

  /** This watcher's view of one revision: its matching events, or empty. */
  List<Event> filter(RevisionEvents re) {
    List<Event> out = new ArrayList<>();
    for (Event e : re.events()) {
      if (!KeyRanges.contains(spec.getKey(), spec.getRangeEnd(), e.getKv().getKey())) {
        continue;
      }
      if ((noPut && e.getType() == Event.EventType.PUT)
          || (noDelete && e.getType() == Event.EventType.DELETE)) {
        continue;
      }
      out.add(spec.getPrevKv() || !e.hasPrevKv() ? e : e.toBuilder().clearPrevKv().build());
    }
    return out;
  }

  /** Queues a response; false (and nothing queued) when the queue is full of events. */
  synchronized boolean offer(WatchResponse r, int limit) {
    if (r.getEventsCount() > 0 && queuedEvents >= limit) {
      return false;
    }
    queue.add(r);
    if (r.getEventsCount() > 0) {
      queuedEvents++;
    }
    return true;
  }

  /** Queues a control response (created, canceled, progress): never refused. */
  synchronized void offerControl(WatchResponse r) {
    queue.add(r);
  }

  /** The next response to send, marking its revision delivered. */
  synchronized WatchResponse poll() {
    WatchResponse r = queue.poll();
    if (r != null) {
      if (r.getEventsCount() > 0) {
        queuedEvents--;
        deliveredRevision = r.getHeader().getRevision();
      }
      lastSendNanos = System.nanoTime();
    }
    return r;
  }

  synchronized boolean hasQueued() {
    return !queue.isEmpty();
  }

  synchronized int queuedEvents() {
    return queuedEvents;
  }

  /**
   * Drops queued events and progress notes (keeping a pending "created") and returns the revision
   * to resume from: the one after the last delivered.
   */
  synchronized long rewind() {
    for (Iterator<WatchResponse> it = queue.iterator(); it.hasNext(); ) {
      if (!it.next().getCreated()) {
        it.remove();
      }
    }
    queuedEvents = 0;
    return deliveredRevision + 1;
  }

  synchronized long deliveredRevision() {
    return deliveredRevision;
  }

  synchronized long idleNanos(long now) {
    return queue.isEmpty() ? now - lastSendNanos : 0;
  }

  /** Remembers that catch-up paused for room in the queue; returns whether it had. */
  synchronized boolean takeCatchUpWaiting() {
    boolean w = catchUpWaiting;
    catchUpWaiting = false;
    return w;
  }

  synchronized void setCatchUpWaiting() {
    catchUpWaiting = true;
  }
}
