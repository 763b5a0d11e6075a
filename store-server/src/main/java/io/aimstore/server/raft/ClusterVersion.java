package io.aimstore.server.raft;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The cluster version (etcd's idea): the format version the leader writes new log entries in, the
 * lowest {@code max_format_version} over the members of the current Raft configuration. So during a
 * rolling upgrade a new format is written only once every member runs a release that applies it.
 *
 * <p>What each member can apply is learned from its status answers ({@link #heard}), on the leader.
 * A member not heard from within {@code freshFor} — down, restarting, just added, or never asked
 * since this member took office — counts as {@link FormatVersion#FIRST}: it may come back running
 * an older release. This member's own maximum is always known. Thread-safe; the clock is injected
 * (tests use a fake one).
 */
public final class ClusterVersion {
  private record Heard(int maxFormatVersion, long atNanos) {}

  private final String self;
  private final int selfMax;
  private final LongSupplier nanoClock;
  private final long freshForNanos;
  private final Map<String, Heard> heard = new ConcurrentHashMap<>();

  /**
   * @param self this member's name
   * @param selfMax the highest format version this member applies
   * @param nanoClock a monotonic clock ({@code System::nanoTime})
   * @param freshFor how long an answer counts
   */
  public ClusterVersion(String self, int selfMax, LongSupplier nanoClock, Duration freshFor) {
    if (selfMax < FormatVersion.FIRST) {
      throw new IllegalArgumentException("a member applies at least format version 1");
    }
    this.self = self;
    this.selfMax = selfMax;
    this.nanoClock = nanoClock;
    this.freshForNanos = freshFor.toNanos();
  }

  /** The highest format version this member applies. */
  public int selfMax() {
    return selfMax;
  }

  /** {@code member} answered now that it applies format versions up to {@code maxFormatVersion}. */
  public void heard(String member, int maxFormatVersion) {
    heard.put(
        member, new Heard(Math.max(FormatVersion.FIRST, maxFormatVersion), nanoClock.getAsLong()));
  }

  /** {@code member} did not answer: what it said before no longer counts. */
  public void lost(String member) {
    heard.remove(member);
  }

  /** Forgets every answer (this member stepped down: a later term starts from nothing). */
  public void forget() {
    heard.clear();
  }

  /** What {@code member} is known to apply, or {@link FormatVersion#FIRST} when not known now. */
  public int maxOf(String member) {
    if (member.equals(self)) {
      return selfMax;
    }
    Heard h = heard.get(member);
    if (h == null || nanoClock.getAsLong() - h.atNanos() > freshForNanos) {
      return FormatVersion.FIRST;
    }
    return h.maxFormatVersion();
  }

  /** The version to write entries in while {@code members} (the configuration) are the members. */
  public int of(Collection<String> members) {
    int v = selfMax;
    for (String m : members) {
      v = Math.min(v, maxOf(m));
    }
    return v;
  }
}
