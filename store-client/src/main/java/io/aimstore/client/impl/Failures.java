package io.aimstore.client.impl;

import io.aimstore.api.WireHeaders;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.AimStoreException.Code;
import io.aimstore.client.AimStoreException.Outcome;
import io.grpc.Metadata;
import io.grpc.Status;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a failed gRPC call into an {@link AimStoreException}: the store's own message when a member
 * answered, a plain sentence naming the member when none did (never transport internals), and the
 * outcome from the retry-safe trailer, the status, and whether the request left this client.
 */
public final class Failures {
  /** Answers by which the store refused a request: it changed nothing. */
  private static final Set<Code> REFUSALS =
      EnumSet.of(
          Code.INVALID_ARGUMENT,
          Code.NOT_FOUND,
          Code.ALREADY_EXISTS,
          Code.PERMISSION_DENIED,
          Code.RESOURCE_EXHAUSTED,
          Code.FAILED_PRECONDITION,
          Code.ABORTED,
          Code.OUT_OF_RANGE,
          Code.UNIMPLEMENTED,
          Code.UNAUTHENTICATED);

  private Failures() {}

  /** A failure whose attempt is not known (e.g. raised outside a call): classified by status. */
  public static AimStoreException translate(Throwable t) {
    Status s = Status.fromThrowable(t);
    if (s.getCode() == Status.Code.UNKNOWN && s.getDescription() == null) {
      return new AimStoreException(Code.UNKNOWN, String.valueOf(t), Outcome.UNKNOWN, t);
    }
    Code code = code(s.getCode());
    String description = s.getDescription() != null ? s.getDescription() : reason(t, s, null);
    return new AimStoreException(code, description, outcome(code, retrySafe(t), true, true), t);
  }

  /** The failure of one attempt, told by what {@code trace} saw on the wire. */
  static AimStoreException of(Throwable t, AttemptTrace trace) {
    if (t instanceof AimStoreException a) {
      return a;
    }
    Status s = Status.fromThrowable(t);
    Code code = code(s.getCode());
    boolean answered = trace.answered() || retrySafe(t);
    Outcome outcome = outcome(code, retrySafe(t), answered, trace.sent());
    String description;
    if (answered && s.getDescription() != null) {
      description = s.getDescription();
    } else if (!trace.sent()) {
      description = "cannot reach " + trace.endpoint() + ": " + reason(t, s, trace.budget());
    } else if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      description = "no answer from " + trace.endpoint() + " within " + seconds(trace.budget());
    } else if (s.getCode() == Status.Code.CANCELLED) {
      description = "the call to " + trace.endpoint() + " was cancelled";
    } else {
      description =
          trace.endpoint() + " failed before it answered: " + reason(t, s, trace.budget());
    }
    return new AimStoreException(code, description, outcome, t);
  }

  /**
   * NOT_APPLIED when the store refused the request or said so (retry-safe trailer), or when it
   * never left this client; UNKNOWN otherwise.
   */
  static Outcome outcome(Code code, boolean retrySafe, boolean answered, boolean sent) {
    if (retrySafe || !sent) {
      return Outcome.NOT_APPLIED;
    }
    if (answered && REFUSALS.contains(code)) {
      return Outcome.NOT_APPLIED;
    }
    return Outcome.UNKNOWN;
  }

  static boolean retrySafe(Throwable t) {
    Metadata trailers = Status.trailersFromThrowable(t);
    return trailers != null && "true".equals(trailers.get(WireHeaders.RETRY_SAFE));
  }

  static Code code(Status.Code c) {
    return c == Status.Code.OK ? Code.UNKNOWN : Code.valueOf(c.name());
  }

  /** Why a connection failed, in a few words. */
  private static String reason(Throwable t, Status s, Duration budget) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "connection refused";
      }
      if (c instanceof UnknownHostException) {
        return "unknown host";
      }
      if (c instanceof NoRouteToHostException) {
        return "no route to host";
      }
    }
    return switch (s.getCode()) {
      case DEADLINE_EXCEEDED ->
          budget == null ? "timed out" : "no connection within " + seconds(budget);
      case UNAVAILABLE -> "connection failed or closed";
      case CANCELLED -> "cancelled";
      default -> s.getCode().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
