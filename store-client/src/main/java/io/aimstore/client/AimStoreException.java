package io.aimstore.client;

import io.aimstore.client.impl.Failures;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A request failed. Every future the client returns fails with this exception (wrapped in a {@link
 * CompletionException} by {@code join()}); {@link AimStoreClient#await} and {@link #from} unwrap
 * it.
 *
 * <p>It says three things: {@link #code()} — what went wrong, in aimstore's own terms; {@link
 * #getMessage()} — one line for people, {@code "CODE: what happened"}, naming the key, lease, lock
 * or member concerned (never transport internals); and {@link #outcome()} — whether a write took
 * effect, which decides whether sending it again is safe.
 */
public final class AimStoreException extends RuntimeException {

  /** What went wrong. The names follow gRPC's status codes, whose meanings aimstore keeps. */
  public enum Code {
    /** The call was cancelled by the caller, or the client was closed. */
    CANCELLED,
    /** A failure the store could not classify. */
    UNKNOWN,
    /** The request breaks a limit or a shape rule (the message names which); nothing changed. */
    INVALID_ARGUMENT,
    /**
     * Time ran out: the client's request timeout (no answer in time), or a wait the store bounded
     * (a lock wait — the message names the holder).
     */
    DEADLINE_EXCEEDED,
    /** An unknown lease, config, rollout or member. */
    NOT_FOUND,
    /** A lease id that is taken. */
    ALREADY_EXISTS,
    /** A write to a key the store manages, or an identity without the permission. */
    PERMISSION_DENIED,
    /** A store limit on resources was reached. */
    RESOURCE_EXHAUSTED,
    /**
     * The state does not allow the request: stale fencing token, lock held (try-lock), rollout not
     * in a state that allows the action, fleet on hold.
     */
    FAILED_PRECONDITION,
    /** A lock waiter's lease ended while it waited. */
    ABORTED,
    /** A revision that was compacted, or one in the future (the message names the bound). */
    OUT_OF_RANGE,
    /** The member does not serve this call (older version). */
    UNIMPLEMENTED,
    /** A bug in the member; the message says where. */
    INTERNAL,
    /** No member could serve the request: unreachable, no leader, or no quorum. */
    UNAVAILABLE,
    /** Data was lost or corrupted. */
    DATA_LOSS,
    /** The request carried no valid identity. */
    UNAUTHENTICATED
  }

  /** Whether the failed request took effect. */
  public enum Outcome {
    /**
     * The request certainly did not take effect: the store refused it (a validation error, a
     * precondition, the retry-safe trailer), or it never left this client (connection refused,
     * unknown host). Sending it again as is is safe.
     */
    NOT_APPLIED,
    /**
     * The request took effect, and what failed came after it (for example the release of a lock
     * taken for it, or an answer lost after the caller verified the change). Do not send it again.
     */
    APPLIED,
    /**
     * The request reached a member and no answer says what became of it (a timeout, a connection
     * lost mid-call, a leader change while it was proposed). Read the state before retrying a write
     * that is not idempotent.
     */
    UNKNOWN
  }

  private final Code code;
  private final Outcome outcome;
  private final String description;

  /**
   * @param code what went wrong
   * @param description what happened, for people, without the code (e.g. "lease 7 not found")
   * @param outcome whether the request took effect
   * @param cause the underlying failure, if any (kept for debugging, never shown to users)
   */
  public AimStoreException(Code code, String description, Outcome outcome, Throwable cause) {
    super(code + ": " + description, cause);
    this.code = code;
    this.outcome = outcome;
    this.description = description;
  }

  /** What went wrong. */
  public Code code() {
    return code;
  }

  /** Whether the request took effect. */
  public Outcome outcome() {
    return outcome;
  }

  /** The message without the code prefix. */
  public String description() {
    return description;
  }

  /** True when the request certainly did not take effect ({@link Outcome#NOT_APPLIED}). */
  public boolean retrySafe() {
    return outcome == Outcome.NOT_APPLIED;
  }

  /** This failure with another outcome, for callers that learned more (e.g. by reading back). */
  public AimStoreException withOutcome(Outcome o) {
    AimStoreException e = new AimStoreException(code, description, o, getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  /** This failure with another description (the code and outcome stay). */
  public AimStoreException withDescription(String d) {
    AimStoreException e = new AimStoreException(code, d, outcome, getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  /**
   * The {@code AimStoreException} behind any failure of a client call, unwrapping {@link
   * CompletionException} and {@link ExecutionException}. Anything else becomes {@link Code#UNKNOWN}
   * with an {@link Outcome#UNKNOWN} outcome.
   */
  public static AimStoreException from(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof AimStoreException a) {
      return a;
    }
    return Failures.translate(t);
  }
}
