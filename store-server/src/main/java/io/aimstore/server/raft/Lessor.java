package io.aimstore.server.raft;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.LeaseCheckpoint;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.LeaseRevoke;
import io.aimstore.internal.RevokeReason;
import io.aimstore.server.core.Access;
import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.LeaseChange;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease deadlines, kept by the leader only, and the proposals that expire leases.
 *
 * <p>Every member tracks which leases exist (from applied entries). Only the leader (after {@link
 * #onLeaderReady}) tracks deadlines, on a monotonic clock: keep-alives come to it and stay in its
 * memory, never in the log. When a deadline passes, the leader proposes {@code
 * LeaseRevoke(EXPIRED)}; applying it deletes the lease's keys on every member. Followers never
 * expire anything.
 *
 * <p>On becoming leader every lease gets a fresh deadline — its full TTL, or the remaining TTL of
 * its last checkpoint — before any expires, so an election never kills a healthy session.
 * Checkpoints bound the other side: a lease that has not been kept alive for half its TTL gets its
 * remaining TTL recorded through the log, so repeated elections cannot keep a dead lease alive
 * forever. A keep-alive for a checkpointed lease clears the checkpoint through the log before it is
 * acknowledged (etcd-io/etcd#13491 was a failover expiring live leases without that).
 *
 * <p>Thread-safe: keep-alives come from gRPC threads, applied changes from the apply thread, ticks
 * from a timer.
 */
public final class Lessor implements ApplyListener, LeadershipListener {
  private static final Logger LOG = LoggerFactory.getLogger(Lessor.class);

  /** One lease as this member knows it. Deadline fields are meaningful only on the leader. */
  private static final class Lease {
    final long id;
    final long ttlMs;
    String identity;
    long checkpointMs;
    long deadline;
    long lastKeepAlive;
    long lastCheckpoint;
    boolean silent;
    boolean expiring;

    Lease(long id, long ttlMs, long checkpointMs, String identity) {
      this.id = id;
      this.ttlMs = ttlMs;
      this.checkpointMs = checkpointMs;
      this.identity = identity;
    }
  }

  /** What a keep-alive answers: milliseconds left, 0 when the lease is gone. */
  public record Renewal(long id, long remainingMs) {}

  /** What the leader knows of one lease beyond what is replicated. */
  public record LiveInfo(long remainingMs, long sinceKeepAliveMs) {}

  private final LongSupplier nanos;
  private final Function<Command.Builder, CompletableFuture<CommandResult>> proposer;
  private final LessorSettings settings;
  private final LessorMetrics metrics;
  private final Map<Long, Lease> leases = new HashMap<>();

  /** Leases whose recorded checkpoint went stale by a keep-alive: cleared on the next tick. */
  private final java.util.Set<Long> needsClear = new java.util.LinkedHashSet<>();

  private boolean primary;

  /**
   * @param nanos a monotonic clock (System::nanoTime, or a fake one in tests)
   * @param proposer proposes a command through the log and completes with its result
   */
  public Lessor(
      LongSupplier nanos,
      Function<Command.Builder, CompletableFuture<CommandResult>> proposer,
      LessorSettings settings,
      LessorMetrics metrics) {
    this.nanos = nanos;
    this.proposer = proposer;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Loads the leases of a freshly opened (or replaced) store. */
  public synchronized void load(Store store) {
    leases.clear();
    long after = 0;
    while (true) {
      List<LeaseRecord> page = store.leases(after, 10_000);
      if (page.isEmpty()) {
        break;
      }
      for (LeaseRecord r : page) {
        leases.put(
            r.getId(),
            new Lease(
                r.getId(),
                r.getTtlSeconds() * 1000,
                r.getCheckpointRemainingMs(),
                r.getIdentity()));
        after = r.getId();
      }
    }
    if (primary) {
      renewAll();
    }
  }

  public synchronized boolean isPrimary() {
    return primary;
  }

  @Override
  public synchronized void onLeaderReady() {
    if (primary) {
      return;
    }
    primary = true;
    renewAll();
    LOG.info("event=lessor_promoted leases={}", leases.size());
  }

  @Override
  public synchronized void onStepDown() {
    if (primary) {
      LOG.info("event=lessor_demoted leases={}", leases.size());
    }
    primary = false;
  }

  private void renewAll() {
    long now = nanos.getAsLong();
    for (Lease l : leases.values()) {
      l.deadline =
          now
              + ms(l.checkpointMs > 0 ? l.checkpointMs : l.ttlMs)
              + settings.promoteGrace().toNanos();
      l.lastKeepAlive = now;
      l.lastCheckpoint = now;
      l.silent = l.checkpointMs > 0;
      l.expiring = false;
    }
  }

  @Override
  public synchronized void onApplied(long index, ApplyResult result) {
    long now = nanos.getAsLong();
    for (LeaseChange c : result.leaseChanges()) {
      if (c instanceof LeaseChange.Granted g) {
        Lease l = new Lease(g.id(), g.ttlSeconds() * 1000, 0, g.identity());
        l.deadline = now + ms(l.ttlMs);
        l.lastKeepAlive = now;
        leases.put(g.id(), l);
        metrics.granted();
      } else if (c instanceof LeaseChange.Adopted a) {
        Lease l = leases.get(a.id());
        if (l != null) {
          l.identity = a.identity();
        }
      } else if (c instanceof LeaseChange.Revoked r) {
        leases.remove(r.id());
        metrics.revoked(r.reason());
      } else if (c instanceof LeaseChange.Checkpointed cp) {
        Lease l = leases.get(cp.id());
        if (l != null) {
          l.checkpointMs = cp.remainingMs();
          if (primary && cp.remainingMs() > 0 && !l.silent) {
            // a keep-alive came after this checkpoint was proposed (entries can commit out of
            // submission order): the log must not keep saying the lease is running out
            needsClear.add(l.id);
          }
        }
      }
    }
  }

  @Override
  public void onReset(Store store) {
    load(store);
  }

  /**
   * Renews lease {@code id} to its full TTL for {@code caller}, who must own it (or be an admin).
   * Completes with the remaining time; 0 when the lease does not exist or is being expired.
   *
   * @throws NotLeaderException if this member does not lead
   * @throws StoreException PERMISSION_DENIED when the lease is another identity's,
   *     FAILED_PRECONDITION for a quarantine lease (a quarantine never outlives its TTL)
   */
  public CompletableFuture<Renewal> keepAlive(long id, Access caller) {
    boolean clearCheckpoint;
    long remaining;
    synchronized (this) {
      if (!primary) {
        throw new NotLeaderException();
      }
      Lease l = leases.get(id);
      if (l == null || l.expiring) {
        return CompletableFuture.completedFuture(new Renewal(id, 0));
      }
      checkKeepAlive(l, caller);
      long now = nanos.getAsLong();
      // silent: a checkpoint may be on its way through the log; clear it after it either way
      clearCheckpoint = l.checkpointMs > 0 || l.silent;
      l.deadline = now + ms(l.ttlMs);
      l.lastKeepAlive = now;
      l.silent = false;
      remaining = l.ttlMs;
      metrics.keptAlive();
    }
    if (!clearCheckpoint) {
      return CompletableFuture.completedFuture(new Renewal(id, remaining));
    }
    // The log says this lease has little time left: correct it before promising a full TTL.
    return proposer
        .apply(
            checkpointCommand(
                List.of(LeaseCheckpoint.Entry.newBuilder().setId(id).setRemainingMs(0).build())))
        .thenApply(r -> new Renewal(id, remaining));
  }

  private static void checkKeepAlive(Lease l, Access caller) {
    if (l.identity.startsWith(Access.QUARANTINE_IDENTITY_PREFIX)) {
      throw StoreException.failedPrecondition(
          "lease "
              + l.id
              + " holds a lock quarantine, which ends with its TTL; lift it with 'aimctl lock"
              + " unquarantine'");
    }
    if (!l.identity.isEmpty() && !l.identity.equals(caller.identity()) && !caller.admin()) {
      throw new StoreException(
          ErrorCode.PERMISSION_DENIED,
          caller.identity()
              + " may not keep lease "
              + l.id
              + " alive: it belongs to "
              + l.identity
              + " (only its owner or an admin may)");
    }
  }

  /** Leader-only view of a lease: time left and time since its last keep-alive. */
  public synchronized OptionalLong remainingMs(long id) {
    LiveInfo i = live(id);
    return i == null ? OptionalLong.empty() : OptionalLong.of(i.remainingMs());
  }

  /** Leader-only view of a lease, or null when this member does not lead or does not know it. */
  public synchronized LiveInfo live(long id) {
    Lease l = leases.get(id);
    if (!primary || l == null) {
      return null;
    }
    long now = nanos.getAsLong();
    return new LiveInfo(
        Math.max(0, (l.deadline - now) / 1_000_000), (now - l.lastKeepAlive) / 1_000_000);
  }

  /** Leases this member knows of. */
  public synchronized int count() {
    return leases.size();
  }

  /**
   * Seconds the most overdue lease is past its deadline without having been revoked (0 when none,
   * or on followers). The "ghost" gauge: it must stay near zero.
   */
  public synchronized double overdueSeconds() {
    if (!primary) {
      return 0;
    }
    long now = nanos.getAsLong();
    long worst = 0;
    for (Lease l : leases.values()) {
      worst = Math.max(worst, now - l.deadline);
    }
    return worst / 1e9;
  }

  /**
   * One pass of the leader's timer: proposes the expiry of the oldest overdue leases (at most
   * {@code maxExpiriesPerCheck}) and checkpoints of silent leases.
   */
  public void tick() {
    List<Lease> expire = new ArrayList<>();
    List<LeaseCheckpoint.Entry> checkpoints = new ArrayList<>();
    synchronized (this) {
      if (!primary) {
        needsClear.clear();
        return;
      }
      for (long id : needsClear) {
        if (leases.containsKey(id)) {
          checkpoints.add(LeaseCheckpoint.Entry.newBuilder().setId(id).setRemainingMs(0).build());
        }
      }
      needsClear.clear();
      long now = nanos.getAsLong();
      List<Lease> overdue = new ArrayList<>();
      for (Lease l : leases.values()) {
        if (l.expiring) {
          continue;
        }
        if (now - l.deadline >= 0) {
          overdue.add(l);
        } else if ((l.silent || now - l.lastKeepAlive >= ms(l.ttlMs) / 2)
            && now - l.lastCheckpoint >= settings.checkpointInterval().toNanos()) {
          long remaining = Math.max(1, (l.deadline - now) / 1_000_000);
          checkpoints.add(
              LeaseCheckpoint.Entry.newBuilder().setId(l.id).setRemainingMs(remaining).build());
          l.silent = true;
          l.lastCheckpoint = now;
        }
      }
      overdue.sort(Comparator.comparingLong((Lease l) -> l.deadline).thenComparingLong(l -> l.id));
      for (Lease l : overdue.subList(0, Math.min(overdue.size(), settings.maxExpiriesPerCheck()))) {
        l.expiring = true;
        expire.add(l);
      }
    }
    if (!checkpoints.isEmpty()) {
      proposer.apply(checkpointCommand(checkpoints));
    }
    for (Lease l : expire) {
      proposer
          .apply(
              Command.newBuilder()
                  .setLeaseRevoke(
                      LeaseRevoke.newBuilder().setId(l.id).setReason(RevokeReason.EXPIRED)))
          .whenComplete(
              (r, err) -> {
                if (err != null && !(unwrap(err) instanceof StoreException)) {
                  synchronized (this) {
                    l.expiring = false; // not replicated: try again on a later tick
                  }
                  LOG.warn("event=lease_expiry_failed lease={} error={}", l.id, err.toString());
                }
              });
    }
  }

  private static Command.Builder checkpointCommand(List<LeaseCheckpoint.Entry> entries) {
    return Command.newBuilder()
        .setLeaseCheckpoint(LeaseCheckpoint.newBuilder().addAllEntries(entries));
  }

  private static Throwable unwrap(Throwable t) {
    while (t.getCause() != null && t instanceof java.util.concurrent.CompletionException) {
      t = t.getCause();
    }
    return t;
  }

  private static long ms(long millis) {
    return millis * 1_000_000;
  }

  /** This member does not lead: keep-alives must go to the leader. */
  public static final class NotLeaderException extends RuntimeException {
    public NotLeaderException() {
      super("this member does not lead; keep-alives go to the leader", null, false, false);
    }
  }
}
