package io.aimstore.client.impl;

import io.aimstore.api.v1.WatchCancelRequest;
import io.aimstore.api.v1.WatchCreateRequest;
import io.aimstore.api.v1.WatchGrpc;
import io.aimstore.api.v1.WatchProgressRequest;
import io.aimstore.api.v1.WatchRequest;
import io.aimstore.api.v1.WatchResponse;
import io.aimstore.client.Watch;
import io.aimstore.client.WatchHandle;
import io.aimstore.client.WatchListener;
import io.aimstore.client.WatchOptions;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Watch} over one bidirectional stream per client. Each watch remembers the last revision it
 * delivered; when the stream breaks (member down, or silent for too long) the client opens a new
 * stream on the next endpoint and re-creates every watch from last revision + 1, dropping any
 * revision it has already delivered.
 */
public final class WatchClient implements Watch {
  private static final Logger LOG = LoggerFactory.getLogger(WatchClient.class);

  /** A stream with watches that has said nothing for this long is presumed stuck. */
  private static final long SILENCE_MS = 6_000;

  private static final long PROBE_MS = 2_000;

  private final Connection conn;
  private final Map<Long, ClientWatch> watches = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private ClientCallStreamObserver<WatchRequest> stream;
  private int endpoint;

  /** Counts the streams opened; responses of an older one are ignored. */
  private long generation;

  private long lastHeardNanos;
  private int failures;
  private ScheduledFuture<?> probe;

  public WatchClient(Connection conn) {
    this.conn = conn;
  }

  /** One watch on the client side. */
  private final class ClientWatch implements WatchHandle {
    final long id;
    final WatchOptions options;
    final WatchListener listener;
    volatile long lastRevision;
    volatile boolean done;

    ClientWatch(long id, WatchOptions options, WatchListener listener) {
      this.id = id;
      this.options = options;
      this.listener = listener;
      this.lastRevision = options.startRevision() == 0 ? -1 : options.startRevision() - 1;
    }

    WatchCreateRequest createRequest() {
      WatchCreateRequest.Builder b =
          WatchCreateRequest.newBuilder()
              .setWatchId(id)
              .setKey(options.key())
              .setRangeEnd(options.rangeEnd())
              .setPrevKv(options.prevKv())
              .setProgressNotify(options.progressNotify())
              .setStartRevision(lastRevision < 0 ? 0 : lastRevision + 1);
      if (options.noPut()) {
        b.addFilters(WatchCreateRequest.FilterType.NOPUT);
      }
      if (options.noDelete()) {
        b.addFilters(WatchCreateRequest.FilterType.NODELETE);
      }
      return b.build();
    }

    @Override
    public long lastRevision() {
      return lastRevision;
    }

    @Override
    public boolean isDone() {
      return done;
    }

    @Override
    public void close() {
      if (!done) {
        done = true;
        watches.remove(id);
        send(
            WatchRequest.newBuilder()
                .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id))
                .build());
      }
    }
  }

  @Override
  public WatchHandle watch(WatchOptions options, WatchListener listener) {
    ClientWatch w = new ClientWatch(ids.incrementAndGet(), options, listener);
    watches.put(w.id, w);
    send(WatchRequest.newBuilder().setCreateRequest(w.createRequest()).build());
    return w;
  }

  private synchronized void send(WatchRequest req) {
    if (stream == null) {
      open(); // sends every watch's create, including this one's
      if (req.hasCreateRequest()) {
        return;
      }
    }
    stream.onNext(req);
  }

  /** Opens a stream on the current endpoint and (re)creates every watch. Caller holds the lock. */
  private void open() {
    int opened = conn.currentIndex();
    endpoint = opened;
    long gen = ++generation;
    lastHeardNanos = System.nanoTime();
    WatchGrpc.newStub(conn.channel(opened))
        .watch(
            new ClientResponseObserver<WatchRequest, WatchResponse>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<WatchRequest> s) {
                stream = s;
              }

              @Override
              public void onNext(WatchResponse r) {
                heard();
                deliver(r, gen);
              }

              @Override
              public void onError(Throwable t) {
                broken(opened, t);
              }

              @Override
              public void onCompleted() {
                broken(
                    opened,
                    Status.UNAVAILABLE
                        .withDescription("watch stream closed by the member")
                        .asRuntimeException());
              }
            });
    for (ClientWatch w : watches.values()) {
      stream.onNext(WatchRequest.newBuilder().setCreateRequest(w.createRequest()).build());
    }
    if (probe == null) {
      probe =
          conn.scheduler()
              .scheduleWithFixedDelay(
                  () -> {
                    try {
                      probe();
                    } catch (RuntimeException e) {
                      LOG.warn("watch probe failed: {}", e.toString());
                    }
                  },
                  PROBE_MS,
                  PROBE_MS,
                  TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void heard() {
    lastHeardNanos = System.nanoTime();
    failures = 0;
  }

  /** Delivers a response of stream {@code gen}; late ones from an abandoned stream are dropped. */
  private synchronized void deliver(WatchResponse r, long gen) {
    if (gen != generation) {
      return;
    }
    ClientWatch w = watches.get(r.getWatchId());
    if (w == null || w.done) {
      return;
    }
    long rev = r.getHeader().getRevision();
    if (r.getCanceled()) {
      w.done = true;
      watches.remove(w.id);
      if (r.getCompactRevision() > 0) {
        w.listener.onCompacted(r.getCompactRevision());
      } else {
        w.listener.onCanceled(r.getCancelReason());
      }
      return;
    }
    if (r.getCreated()) {
      if (w.lastRevision < 0) {
        w.lastRevision = rev; // the watch covers what follows this revision
      }
      return;
    }
    if (r.getProgress()) {
      if (rev > w.lastRevision) {
        w.lastRevision = rev;
      }
      // a member that has applied less than the previous one answers with a lower revision:
      // a bookmark must not go back below what was already delivered
      w.listener.onProgress(w.lastRevision);
      return;
    }
    if (rev <= w.lastRevision) {
      return; // already delivered before a reconnect
    }
    w.lastRevision = rev;
    w.listener.onRevision(rev, r.getEventsList());
  }

  /**
   * Asks a quiet stream for progress (the answer proves the member is alive), and abandons a stream
   * that stays silent.
   */
  private void probe() {
    boolean stuck;
    synchronized (this) {
      if (stream == null || watches.isEmpty()) {
        return;
      }
      long quiet = System.nanoTime() - lastHeardNanos;
      stuck = quiet > TimeUnit.MILLISECONDS.toNanos(SILENCE_MS);
      if (!stuck) {
        if (quiet < TimeUnit.MILLISECONDS.toNanos(PROBE_MS)) {
          return; // the stream spoke recently: it is alive, no need to ask
        }
        stream.onNext(
            WatchRequest.newBuilder()
                .setProgressRequest(WatchProgressRequest.getDefaultInstance())
                .build());
        return;
      }
      stream.cancel("watch stream silent; moving to another member", null);
    }
    broken(
        endpoint, Status.UNAVAILABLE.withDescription("watch stream silent").asRuntimeException());
  }

  private void broken(int opened, Throwable t) {
    long delay;
    synchronized (this) {
      if (endpoint != opened || stream == null || conn.isClosed()) {
        return;
      }
      stream = null;
      conn.failover(opened);
      failures++;
      delay = Connection.backoffMs(failures);
    }
    LOG.debug(
        "watch stream to endpoint {} broke ({}); reconnecting in {} ms",
        opened,
        t.toString(),
        delay);
    conn.schedule(this::reopen, delay);
  }

  private synchronized void reopen() {
    if (stream == null && !watches.isEmpty()) {
      open();
    }
  }
}
