package io.aimstore.bench.load;

import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Matches the puts of a watch workload to the events they cause. Each watched key has at most one
 * put whose event is awaited; the put is issued, then acknowledged, and its event arrives — before
 * or after the acknowledgement. Delivery latency is acknowledgement → event; an event that arrives
 * before the acknowledgement counts as 0 (and is counted as early). Only puts issued inside the
 * measured window are recorded.
 *
 * <p>Thread-safe (one lock; a few hundred events per second).
 */
public final class DeliveryTracker {
  private static final class Pending {
    final boolean inWindow;
    final long issued;
    long acked = -1;
    long received = -1;

    Pending(boolean inWindow, long issued) {
      this.inWindow = inWindow;
      this.issued = issued;
    }
  }

  private final Map<String, Pending> pending = new HashMap<>();
  private final Histogram fromAck = new Histogram(3);
  private final Histogram fromIssue = new Histogram(3);
  private long delivered;
  private long early;
  private long missing;
  private long unexpected;
  private long failedPuts;

  /** A put of {@code key} was issued at {@code nanos}. */
  public synchronized void issued(String key, long nanos, boolean inWindow) {
    Pending before = pending.put(key, new Pending(inWindow, nanos));
    if (before != null && before.inWindow && before.received < 0) {
      missing++; // its event never came before the key was written again
    }
  }

  /** The put of {@code key} issued at {@code issuedNanos} was acknowledged at {@code nanos}. */
  public synchronized void acked(String key, long issuedNanos, long nanos) {
    Pending p = pending.get(key);
    if (p == null || p.issued != issuedNanos) {
      return;
    }
    p.acked = nanos;
    if (p.received >= 0) {
      record(key, p);
    }
  }

  /** The put of {@code key} issued at {@code issuedNanos} failed: no event is expected. */
  public synchronized void failed(String key, long issuedNanos) {
    Pending p = pending.get(key);
    if (p != null && p.issued == issuedNanos) {
      pending.remove(key);
      if (p.inWindow) {
        failedPuts++;
      }
    }
  }

  /** An event for {@code key} arrived at {@code nanos}. */
  public synchronized void received(String key, long nanos) {
    Pending p = pending.get(key);
    if (p == null || p.received >= 0) {
      unexpected++; // an event nobody waits for (a sentinel, a late duplicate)
      return;
    }
    p.received = nanos;
    if (p.acked >= 0) {
      record(key, p);
    }
  }

  private void record(String key, Pending p) {
    pending.remove(key);
    if (!p.inWindow) {
      return;
    }
    delivered++;
    long d = p.received - p.acked;
    if (d < 0) {
      early++;
      d = 0;
    }
    fromAck.recordValue(d);
    fromIssue.recordValue(Math.max(0, p.received - p.issued));
  }

  /** Puts issued inside the window that were acknowledged but whose event has not arrived. */
  public synchronized long awaiting() {
    long n = 0;
    for (Pending p : pending.values()) {
      if (p.inWindow && p.received < 0) {
        n++;
      }
    }
    return n;
  }

  /** Events delivered for puts issued in the window. */
  public synchronized long delivered() {
    return delivered;
  }

  /** Acknowledgement → event, nanoseconds. */
  public synchronized Histogram fromAck() {
    return fromAck.copy();
  }

  /** Issue of the put → event, nanoseconds. */
  public synchronized Histogram fromIssue() {
    return fromIssue.copy();
  }

  public synchronized long early() {
    return early;
  }

  /** Window puts whose event never arrived (overwritten before it did, or still awaited). */
  public synchronized long missing() {
    return missing + awaiting();
  }

  public synchronized long unexpected() {
    return unexpected;
  }

  public synchronized long failedPuts() {
    return failedPuts;
  }
}
