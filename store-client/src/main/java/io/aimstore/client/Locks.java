package io.aimstore.client;

import io.aimstore.api.v1.AuditListResponse;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.LockAcquireResponse;
import io.aimstore.api.v1.LockInspectResponse;
import io.aimstore.api.v1.LockListResponse;
import io.aimstore.api.v1.LockReleaseResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** Fair, fenced locks bound to a {@link Session}. */
public interface Locks {

  /**
   * Waits up to {@code wait} (zero: do not wait) for lock {@code name} and returns a handle holding
   * it; the lock lives on the session's lease and goes with it.
   *
   * @throws AimStoreException DEADLINE_EXCEEDED when the wait runs out, FAILED_PRECONDITION when
   *     {@code wait} is zero and the lock is held, ABORTED when the session's lease ended while
   *     waiting
   */
  LockHandle acquire(String name, Session session, Duration wait);

  /** Runs {@code body} holding lock {@code name}, releasing it afterwards. */
  default <T> T withLock(String name, Session session, Duration wait, Callable<T> body)
      throws Exception {
    try (LockHandle h = acquire(name, session, wait)) {
      return body.call();
    }
  }

  CompletableFuture<LockAcquireResponse> acquire(String name, long lease, Duration wait);

  CompletableFuture<LockReleaseResponse> release(String name, long token);

  CompletableFuture<LockInspectResponse> inspect(String name);

  CompletableFuture<LockListResponse> list(String prefix);

  CompletableFuture<ForceReleaseResponse> forceRelease(ForceReleaseRequest request);

  CompletableFuture<AuditListResponse> audit(long sinceMs);
}
