package io.aimstore.server.api;

import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.LockChange;
import io.aimstore.server.core.RevisionEvents;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.AimStateMachine;
import io.aimstore.server.raft.ApplyListener;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Lock acquisitions waiting in the queue on this member. After every applied entry that touches a
 * lock's claims, the waiters of that lock look again at the local state (on a worker thread, never
 * on apply): a waiter completes when its claim holds the lock, and fails as soon as its claim is
 * gone (its lease expired or was revoked, or it was released) — it is never granted afterwards.
 */
public final class LockWaiters implements ApplyListener {
  /** One waiting acquisition. */
  private record Waiter(String name, long token, long lease, CompletableFuture<Void> granted) {}

  private final AimStateMachine stateMachine;
  private final Executor executor;
  private final Map<String, Set<Waiter>> byLock = new ConcurrentHashMap<>();

  public LockWaiters(AimStateMachine stateMachine, Executor executor) {
    this.stateMachine = stateMachine;
    this.executor = executor;
  }

  /**
   * Completes when claim {@code token} holds lock {@code name} on this member's state; fails with
   * ABORTED when the claim is gone. The caller cancels the future on timeout. Looks at the state
   * once before returning: do not call it on the apply thread.
   */
  public CompletableFuture<Void> await(String name, long token, long lease) {
    Waiter w = new Waiter(name, token, lease, new CompletableFuture<>());
    byLock.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(w);
    w.granted().whenComplete((v, e) -> remove(w));
    recheck(w); // callers run on a worker, never on the apply thread
    return w.granted();
  }

  private void remove(Waiter w) {
    byLock.computeIfPresent(
        name(w),
        (n, set) -> {
          set.remove(w);
          return set.isEmpty() ? null : set;
        });
  }

  private static String name(Waiter w) {
    return w.name();
  }

  @Override
  public void onApplied(long index, ApplyResult result) {
    if (byLock.isEmpty()) {
      return;
    }
    Set<String> touched = new HashSet<>();
    for (LockChange c : result.lockChanges()) {
      touched.add(c.name());
    }
    for (RevisionEvents re : result.events()) {
      for (Event e : re.events()) {
        if (e.getType() == Event.EventType.DELETE) {
          String lock = Store.lockOf(e.hasPrevKv() ? e.getPrevKv() : e.getKv());
          if (lock != null) {
            touched.add(lock);
          }
        }
      }
    }
    for (String name : touched) {
      Set<Waiter> waiting = byLock.get(name);
      if (waiting != null) {
        for (Waiter w : waiting) {
          executor.execute(() -> recheck(w));
        }
      }
    }
  }

  @Override
  public void onReset(Store store) {
    for (Set<Waiter> set : byLock.values()) {
      for (Waiter w : set) {
        executor.execute(() -> recheck(w));
      }
    }
  }

  private void recheck(Waiter w) {
    if (w.granted().isDone()) {
      return;
    }
    try {
      stateMachine.read(
          store -> {
            Store.LockState lock = store.lock(w.name());
            long holder = lock == null ? 0 : lock.record().getHolderToken();
            if (holder == w.token()) {
              w.granted().complete(null);
              return null;
            }
            boolean queued =
                lock != null
                    && lock.claims().stream()
                        .mapToLong(KeyValue::getCreateRevision)
                        .anyMatch(t -> t == w.token());
            if (!queued) {
              String why =
                  store.lease(w.lease()) == null
                      ? "lease "
                          + w.lease()
                          + " expired or was revoked while waiting for lock "
                          + w.name()
                      : "the claim "
                          + w.token()
                          + " on lock "
                          + w.name()
                          + " was released while waiting";
              w.granted()
                  .completeExceptionally(
                      new StoreException(io.aimstore.internal.ErrorCode.ABORTED, why));
            }
            return null;
          });
    } catch (RuntimeException e) {
      // the store is being replaced: the reset will recheck
    }
  }
}
