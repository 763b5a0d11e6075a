package io.aimstore.client;

import io.aimstore.api.v1.AuditListResponse;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.LockAcquireResponse;
import io.aimstore.api.v1.LockInspectResponse;
import io.aimstore.api.v1.LockListResponse;
import io.aimstore.api.v1.LockReleaseResponse;
import io.aimstore.api.v1.UnquarantineResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Fair, fenced locks bound to a {@link Session}. A lock named N is a queue of claims, each on its
 * waiter's lease; the holder is the oldest claim, and its create revision is its fencing token,
 * greater than every earlier holder's. When the holder's lease ends (close, crash, expiry) or an
 * operator force-releases it, the next waiter holds the lock.
 *
 * <p>{@link #acquire(String, Session, Duration)} blocks; the other methods return at once and their
 * futures complete on a client thread, failing with {@link AimStoreException}. Thread-safe.
 */
public interface Locks {

  /**
   * Waits up to {@code wait} (zero: do not wait) for lock {@code name} and returns a handle holding
   * it; the lock lives on the session's lease and goes with it. Blocks the calling thread.
   *
   * @throws AimStoreException DEADLINE_EXCEEDED when the wait runs out, FAILED_PRECONDITION when
   *     {@code wait} is zero and the lock is held (both name the holder), ABORTED when the
   *     session's lease ended while waiting
   */
  LockHandle acquire(String name, Session session, Duration wait);

  /**
   * Runs {@code body} holding lock {@code name}, releasing it afterwards (also when {@code body}
   * throws). {@code body} runs on the calling thread; it should stop acting when the lock is lost.
   */
  default <T> T withLock(String name, Session session, Duration wait, Callable<T> body)
      throws Exception {
    try (LockHandle h = acquire(name, session, wait)) {
      return body.call();
    }
  }

  /**
   * The raw acquisition: queues a claim for {@code lease} and completes when it holds the lock
   * (with its token) or the wait runs out. Safe to repeat: the same lease gets the same claim back.
   * Same failures as {@link #acquire(String, Session, Duration)}.
   */
  CompletableFuture<LockAcquireResponse> acquire(String name, long lease, Duration wait);

  /**
   * Releases the claim with {@code token} (holder or waiter). Idempotent: releasing a claim that is
   * gone succeeds and says so in the response.
   */
  CompletableFuture<LockReleaseResponse> release(String name, long token);

  /** The lock's holder (owner, token, since when, last keep-alive), waiters and quarantine. */
  CompletableFuture<LockInspectResponse> inspect(String name);

  /** Every lock whose name starts with {@code prefix} that is held, waited for or quarantined. */
  CompletableFuture<LockListResponse> list(String prefix);

  /**
   * Takes the lock from its holder: deletes the holder's claim (its lease and other keys stay),
   * optionally quarantines the lock, and writes an audit record. The holder's fenced writes fail
   * from then on.
   *
   * @throws AimStoreException (in the future) FAILED_PRECONDITION when the lock is not held, or is
   *     held by another token than the request's expected one (a repeat after a timed-out release
   *     that applied fails this way instead of taking the next holder's lock); INVALID_ARGUMENT
   *     without a reason or operator, or for a quarantine beyond the maximum
   */
  CompletableFuture<ForceReleaseResponse> forceRelease(ForceReleaseRequest request);

  /** Audit records (force-releases) written at or after {@code sinceMs} (Unix ms; 0 for all). */
  CompletableFuture<AuditListResponse> audit(long sinceMs);

  /**
   * Lifts the quarantine a force-release put on {@code name} before it runs out (admins only;
   * audited with {@code reason}): the first waiter holds the lock at once.
   *
   * @throws AimStoreException (in the future) FAILED_PRECONDITION when the lock is not quarantined,
   *     PERMISSION_DENIED for a non-admin
   */
  CompletableFuture<UnquarantineResponse> unquarantine(String name, String reason);
}
