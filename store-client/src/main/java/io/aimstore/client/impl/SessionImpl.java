package io.aimstore.client.impl;

import io.aimstore.api.v1.LeaseKeepAliveResponse;
import io.aimstore.client.Leases;
import io.aimstore.client.Session;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Session}: keeps one lease alive on the shared {@link KeepAliveStream}. */
public final class SessionImpl implements Session, KeepAliveStream.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(SessionImpl.class);
  private static final long WATCHDOG_MS = 100;

  private final long leaseId;
  private final Duration ttl;
  private final long intervalNanos;
  private final KeepAliveStream stream;
  private final Leases leases;
  private final LongSupplier nanos;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<State> ended = new CompletableFuture<>();
  private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
  private volatile ScheduledFuture<?> task;
  private State state = State.CONNECTED;
  private long validUntil;
  private long lastSend;
  private long lastAck;

  /**
   * @param grantedAt monotonic time just before the lease was granted (or last renewed): the lease
   *     is vouched for until then plus its TTL
   */
  public SessionImpl(
      long leaseId,
      Duration ttl,
      long grantedAt,
      KeepAliveStream stream,
      Leases leases,
      Connection conn,
      LongSupplier nanos) {
    this.leaseId = leaseId;
    this.ttl = ttl;
    this.intervalNanos = ttl.toNanos() / 3;
    this.stream = stream;
    this.leases = leases;
    this.nanos = nanos;
    this.validUntil = grantedAt + ttl.toNanos();
    this.lastAck = nanos.getAsLong();
    this.lastSend = lastAck - intervalNanos; // renew at once: the grant may have taken a while
    stream.register(leaseId, this);
    this.task =
        conn.scheduler()
            .scheduleWithFixedDelay(this::safeTick, 0, WATCHDOG_MS, TimeUnit.MILLISECONDS);
  }

  /** A periodic task that throws is silently cancelled: never let one escape. */
  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("session lease={} keep-alive tick failed: {}", leaseId, e.toString());
    }
  }

  private void stopTicking() {
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
  }

  @Override
  public long leaseId() {
    return leaseId;
  }

  @Override
  public Duration ttl() {
    return ttl;
  }

  @Override
  public synchronized State state() {
    return state;
  }

  /**
   * Adds a listener. A session that already ended (it can end before its creator had a chance to
   * listen: a grant slower than the TTL) reports that at once.
   */
  @Override
  public void addListener(Listener listener) {
    listeners.add(listener);
    State now = state();
    if (now == State.LOST) {
      listener.stateChanged(this, State.CONNECTED, State.LOST);
    }
  }

  @Override
  public CompletableFuture<State> ended() {
    return ended;
  }

  @Override
  public synchronized Duration validFor() {
    if (state == State.LOST || state == State.CLOSED) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, validUntil - nanos.getAsLong()));
  }

  private void tick() {
    boolean send = false;
    boolean stuck = false;
    synchronized (this) {
      if (state == State.LOST || state == State.CLOSED) {
        return;
      }
      long now = nanos.getAsLong();
      if (now - validUntil >= 0) {
        lose("no keep-alive was acknowledged within the lease TTL of " + ttl.toMillis() + " ms");
        return;
      }
      if (now - lastSend >= intervalNanos) {
        send = true;
        lastSend = now;
        sentAt.add(now);
      }
      if (now - lastAck > 2 * intervalNanos && state == State.CONNECTED) {
        change(State.SUSPENDED);
        stuck = true;
        sentAt.clear();
      }
    }
    if (stuck) {
      stream.reset();
    }
    if (send) {
      try {
        stream.send(leaseId);
      } catch (RuntimeException e) {
        onBroken(e);
      }
    }
  }

  @Override
  public void onResponse(LeaseKeepAliveResponse r) {
    synchronized (this) {
      if (state == State.LOST || state == State.CLOSED) {
        return;
      }
      long now = nanos.getAsLong();
      Long sent = sentAt.poll();
      if (r.getTtlMs() <= 0) {
        lose("the store says lease " + leaseId + " is gone (expired or revoked)");
        return;
      }
      if (sent == null) {
        return; // its send time was forgotten when the stream was reset: it vouches for nothing
      }
      validUntil = Math.max(validUntil, sent + r.getTtlMs() * 1_000_000);
      lastAck = now;
      if (state == State.SUSPENDED) {
        change(State.CONNECTED);
      }
    }
  }

  @Override
  public void onBroken(Throwable cause) {
    synchronized (this) {
      if (state == State.LOST || state == State.CLOSED) {
        return;
      }
      sentAt.clear();
      lastSend =
          nanos.getAsLong() - intervalNanos + TimeUnit.MILLISECONDS.toNanos(200); // resend soon
      if (state == State.CONNECTED) {
        change(State.SUSPENDED);
      }
    }
    LOG.debug("keep-alive stream broke for lease {}: {}", leaseId, cause.toString());
  }

  private void lose(String why) {
    LOG.warn("session lease={} LOST: {}", leaseId, why);
    change(State.LOST);
    stopTicking();
    stream.unregister(leaseId);
  }

  /** Call with the monitor held. */
  private void change(State to) {
    State from = state;
    if (from == to) {
      return;
    }
    state = to;
    for (Listener l : listeners) {
      try {
        l.stateChanged(this, from, to);
      } catch (RuntimeException e) {
        LOG.warn("session listener failed: {}", e.toString());
      }
    }
    if (to == State.LOST || to == State.CLOSED) {
      ended.complete(to);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      stopTicking();
      stream.unregister(leaseId);
      boolean revoke = state != State.LOST;
      change(State.CLOSED);
      if (!revoke) {
        return;
      }
    }
    try {
      leases.revoke(leaseId).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("revoke of lease {} on close failed: {}", leaseId, e.toString());
    }
  }
}
