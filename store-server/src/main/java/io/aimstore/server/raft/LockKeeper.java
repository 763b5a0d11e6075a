package io.aimstore.server.raft;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.LockClaim;
import io.aimstore.api.v1.LockInfo;
import io.aimstore.api.v1.LockReleaseResponse;
import io.aimstore.api.v1.UnquarantineRequest;
import io.aimstore.api.v1.UnquarantineResponse;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.LockAcquire;
import io.aimstore.internal.LockAcquireResult;
import io.aimstore.internal.LockForceRelease;
import io.aimstore.internal.LockRelease;
import io.aimstore.server.core.Access;
import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.LockChange;
import io.aimstore.server.core.RevisionEvents;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lock acquisition, beside the {@link Lessor}: queues a claim through the log, waits on this member
 * until the claim holds the lock, and leaves the queue when the wait runs out. Also builds the
 * operator's view of a lock (holder and waiters with their owners and keep-alive ages).
 *
 * <p>A waiter is decided from what apply reports, never by polling: it is granted when a {@link
 * LockChange} names its token as the holder, and fails (ABORTED) when its claim key is deleted (its
 * lease expired or was revoked, or the claim was released) — it is never granted afterwards. When a
 * snapshot replaces the store, every waiter looks at the new state once. Completions run on the
 * executor, never on the apply thread.
 */
public final class LockKeeper implements ApplyListener {
  /** A lock granted to a claim. */
  public record Grant(ByteString key, long token, long revision) {}

  /** One waiting acquisition. */
  private record Waiter(
      String name, long token, long lease, ByteString claimKey, CompletableFuture<Void> granted) {}

  private final CommandProposer proposer;
  private final AimStateMachine stateMachine;
  private final Lessor lessor;
  private final Executor executor;
  private final LockMetrics metrics;
  private final Map<String, Set<Waiter>> byLock = new ConcurrentHashMap<>();

  /**
   * @param executor runs waiter decisions and completions (the read pool), off the apply thread
   */
  public LockKeeper(
      CommandProposer proposer,
      AimStateMachine stateMachine,
      Lessor lessor,
      Executor executor,
      LockMetrics metrics) {
    this.proposer = proposer;
    this.stateMachine = stateMachine;
    this.lessor = lessor;
    this.executor = executor;
    this.metrics = metrics;
  }

  /** What becomes of a queued claim when its caller cancels the wait. */
  public enum OnCancel {
    /**
     * Keep it: the client gave up on this call and may retry on another member, where the same
     * lease gets the same claim back (aimstore's Lock API).
     */
    KEEP_CLAIM,
    /** Leave the queue (etcd's lock and election calls, which delete their key on cancel). */
    LEAVE_QUEUE
  }

  /**
   * Queues {@code claim} (or finds its lease's existing one) for {@code caller} and completes when
   * it holds the lock. Fails with FAILED_PRECONDITION ({@code waitMs} 0) or DEADLINE_EXCEEDED when
   * the wait runs out — the claim then leaves the queue and the message names the holder — and with
   * ABORTED when the claim goes while waiting. A negative {@code waitMs} waits until the returned
   * future is cancelled; what a cancel does to the claim is {@code onCancel}.
   */
  public CompletableFuture<Grant> acquire(
      LockAcquire claim, long waitMs, OnCancel onCancel, String caller) {
    String name = claim.getName();
    long start = System.nanoTime();
    CompletableFuture<Grant> result = new CompletableFuture<>();
    proposer
        .submitAndApplyLocally(Command.newBuilder().setCaller(caller).setLockAcquire(claim))
        .whenCompleteAsync(
            (r, err) -> {
              if (err != null) {
                result.completeExceptionally(unwrap(err));
                return;
              }
              LockAcquireResult queued = r.getLockAcquire();
              CompletableFuture<Void> granted = await(name, queued, claim.getLease());
              result.whenComplete(
                  (v, e) -> {
                    if (e != null) {
                      granted.cancel(false);
                    }
                  });
              CompletableFuture<Void> bounded =
                  waitMs < 0
                      ? granted
                      : granted.orTimeout(Math.max(1, waitMs), TimeUnit.MILLISECONDS);
              bounded.whenComplete(
                  (v, e) -> {
                    if (e == null) {
                      metrics.granted(System.nanoTime() - start);
                      result.complete(
                          new Grant(queued.getKey(), queued.getToken(), r.getRevision()));
                    } else if (result.isCancelled()) {
                      if (onCancel == OnCancel.LEAVE_QUEUE) {
                        leaveQueue(name, queued.getToken(), 3);
                      }
                    } else if (unwrap(e) instanceof TimeoutException) {
                      giveUp(name, queued.getToken(), waitMs, result);
                    } else {
                      result.completeExceptionally(unwrap(e));
                    }
                  });
            },
            executor);
    return result;
  }

  /**
   * Releases claim {@code token} of {@code name} (holder or waiter); the response says whether it
   * still held anything.
   */
  public CompletableFuture<LockReleaseResponse> release(String name, long token, String caller) {
    return proposer
        .submit(
            Command.newBuilder()
                .setCaller(caller)
                .setLockRelease(LockRelease.newBuilder().setName(name).setToken(token)))
        .thenApply(CommandResult::getLockRelease);
  }

  /**
   * Force-releases the holder of a lock (an operator's action): deletes its claim, writes an audit
   * record and optionally quarantines the lock. See {@code ForceReleaseRequest}.
   */
  public CompletableFuture<ForceReleaseResponse> forceRelease(
      ForceReleaseRequest req, String caller) {
    return proposer
        .submit(
            Command.newBuilder()
                .setCaller(caller)
                .setLockForceRelease(LockForceRelease.newBuilder().setRequest(req)))
        .thenApply(
            r -> {
              metrics.forceReleased();
              return r.getLockForceRelease();
            });
  }

  /** Lifts a lock's quarantine early (an operator's action, audited). */
  public CompletableFuture<UnquarantineResponse> unquarantine(
      UnquarantineRequest req, String caller) {
    return proposer
        .submit(Command.newBuilder().setCaller(caller).setLockUnquarantine(req))
        .thenApply(CommandResult::getLockUnquarantine);
  }

  private CompletableFuture<Void> await(String name, LockAcquireResult claim, long lease) {
    Waiter w = new Waiter(name, claim.getToken(), lease, claim.getKey(), new CompletableFuture<>());
    byLock.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(w);
    w.granted().whenComplete((v, e) -> remove(w));
    recheck(w); // the claim may hold already, or be gone: changes applied before registering
    return w.granted();
  }

  private void remove(Waiter w) {
    byLock.computeIfPresent(
        w.name(),
        (n, set) -> {
          set.remove(w);
          return set.isEmpty() ? null : set;
        });
  }

  @Override
  public void onApplied(long index, ApplyResult result) {
    if (byLock.isEmpty()) {
      return;
    }
    // A claim deleted in this entry is never granted, even if the entry also made it the holder.
    Set<Waiter> gone = new HashSet<>();
    for (RevisionEvents re : result.events()) {
      for (Event e : re.events()) {
        if (e.getType() == Event.EventType.DELETE) {
          for (Waiter w : waiting(Store.lockOf(e.hasPrevKv() ? e.getPrevKv() : e.getKv()))) {
            if (w.claimKey().equals(e.getKv().getKey())) {
              gone.add(w);
            }
          }
        }
      }
    }
    gone.forEach(w -> executor.execute(() -> gone(w)));
    for (LockChange c : result.lockChanges()) {
      for (Waiter w : waiting(c.name())) {
        if (w.token() == c.holderToken() && !gone.contains(w)) {
          executor.execute(() -> w.granted().complete(null));
        }
      }
    }
  }

  private Set<Waiter> waiting(String lock) {
    Set<Waiter> set = lock == null ? null : byLock.get(lock);
    return set == null ? Set.of() : set;
  }

  @Override
  public void onReset(Store store) {
    for (Set<Waiter> set : byLock.values()) {
      for (Waiter w : set) {
        executor.execute(() -> recheck(w));
      }
    }
  }

  /** Decides a waiter from the local state. Never on the apply thread. */
  private void recheck(Waiter w) {
    if (w.granted().isDone()) {
      return;
    }
    try {
      Store.LockState lock = stateMachine.read(store -> store.lock(w.name()));
      if (lock != null && lock.record().getHolderToken() == w.token()) {
        w.granted().complete(null);
      } else if (lock == null
          || lock.claims().stream().noneMatch(kv -> kv.getCreateRevision() == w.token())) {
        gone(w);
      }
    } catch (RuntimeException e) {
      // the store is being replaced: onReset looks again
    }
  }

  /** The waiter's claim was deleted: say why. */
  private void gone(Waiter w) {
    boolean leaseGone;
    try {
      leaseGone = stateMachine.read(store -> store.lease(w.lease()) == null);
    } catch (RuntimeException e) {
      leaseGone = false;
    }
    String why =
        leaseGone
            ? "lease " + w.lease() + " expired or was revoked while waiting for lock " + w.name()
            : "the claim " + w.token() + " on lock " + w.name() + " was released while waiting";
    w.granted().completeExceptionally(new StoreException(ErrorCode.ABORTED, why));
  }

  /** The wait ran out: leave the queue, then say who holds the lock. */
  private void giveUp(String name, long token, long waitMs, CompletableFuture<Grant> result) {
    leaveQueue(name, token, 3)
        .thenRun(
            () -> {
              String holder = describeHolder(name);
              result.completeExceptionally(
                  waitMs == 0
                      ? StoreException.failedPrecondition("lock " + name + " is held" + holder)
                      : new StoreException(
                          ErrorCode.DEADLINE_EXCEEDED,
                          "gave up after " + waitMs + " ms waiting for lock " + name + holder));
            });
  }

  /**
   * Releases a claim whose wait ran out, trying again when the outcome is unknown: a claim left
   * behind would be granted later to a caller who was told it timed out.
   */
  private CompletableFuture<Void> leaveQueue(String name, long token, int attempts) {
    // the store gives up the wait it made on the caller's behalf
    return release(name, token, Access.SYSTEM_IDENTITY)
        .handle((r, e) -> e == null ? null : unwrap(e))
        .thenCompose(
            e -> {
              if (e == null
                  || attempts <= 1
                  || !(e instanceof ReplicationException
                      || e instanceof StoreUnavailableException)) {
                return CompletableFuture.<Void>completedFuture(null);
              }
              return leaveQueue(name, token, attempts - 1);
            });
  }

  private String describeHolder(String name) {
    try {
      return stateMachine.read(
          store -> {
            Store.LockState st = store.lock(name);
            if (st == null || st.record().getHolderToken() == 0) {
              return st != null && st.record().getQuarantinedUntilMs() > 0
                  ? " (quarantined until "
                      + Instant.ofEpochMilli(st.record().getQuarantinedUntilMs())
                      + ")"
                  : "";
            }
            LeaseRecord lease = store.lease(st.record().getHolderLease());
            String who =
                lease == null
                    ? "lease " + st.record().getHolderLease()
                    : lease.getOwner().getName()
                        + " on "
                        + lease.getOwner().getHost()
                        + " pid "
                        + lease.getOwner().getPid();
            return " by token "
                + st.record().getHolderToken()
                + " ("
                + who
                + "); see 'aimctl lock show "
                + name
                + "'";
          });
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * The operator's view of a lock: holder and waiters in grant order, each with its lease's owner
   * and, on the leader, the time since the lease's last keep-alive.
   */
  public LockInfo describe(Store store, Store.LockState st) {
    LockInfo.Builder b =
        LockInfo.newBuilder()
            .setName(st.record().getName())
            .setQuarantinedUntilMs(st.record().getQuarantinedUntilMs());
    long holder = st.record().getHolderToken();
    for (KeyValue kv : st.claims()) {
      LeaseRecord lease = store.lease(kv.getLease());
      Lessor.LiveInfo live = lessor.live(kv.getLease());
      LockClaim.Builder c =
          LockClaim.newBuilder()
              .setToken(kv.getCreateRevision())
              .setLease(kv.getLease())
              .setKey(kv.getKey())
              .setQueuedAtMs(Store.claimQueuedAtMs(kv))
              .setLastKeepaliveAgeMs(live == null ? -1 : live.sinceKeepAliveMs());
      if (lease != null) {
        c.setOwner(lease.getOwner()).setIdentity(lease.getIdentity());
      }
      if (kv.getCreateRevision() == holder) {
        b.setHolder(c.setAcquiredAtMs(st.record().getAcquiredAtMs()));
      } else {
        b.addWaiters(c);
      }
    }
    return b.build();
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
