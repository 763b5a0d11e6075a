package io.aimstore.server.api;

import io.aimstore.api.WireHeaders;
import io.aimstore.internal.ErrorReason;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.ReplicationException;
import io.aimstore.server.raft.StoreUnavailableException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides which failure becomes which gRPC status. Clients read the trailer
 * {@link WireHeaders#RETRY_SAFE}: "true" means the request was not applied and may be sent again as
 * is; a refusal a client may act on names its reason in {@link WireHeaders#ERROR_REASON}.
 */
public final class GrpcErrors {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  /**
   * Longest status description sent: messages quote what the client sent (keys, names), and a
   * description larger than the HTTP/2 header limit would turn a clear refusal into INTERNAL.
   */
  static final int MAX_DESCRIPTION_CHARS = 2048;

  public static StatusRuntimeException toStatus(Throwable t) {
    StatusRuntimeException s = decide(t);
    String d = s.getStatus().getDescription();
    if (d == null || d.length() <= MAX_DESCRIPTION_CHARS) {
      return s;
    }
    return s.getStatus()
        .withDescription(
            d.substring(0, MAX_DESCRIPTION_CHARS)
                + "… ("
                + (d.length() - MAX_DESCRIPTION_CHARS)
                + " more characters)")
        .asRuntimeException(s.getTrailers());
  }

  private static StatusRuntimeException decide(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof StatusException s) {
      return new StatusRuntimeException(s.getStatus(), s.getTrailers());
    }
    if (e instanceof StoreException s) {
      Status.Code code =
          switch (s.code()) {
            case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
            case OUT_OF_RANGE -> Status.Code.OUT_OF_RANGE;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
            case RESOURCE_EXHAUSTED -> Status.Code.RESOURCE_EXHAUSTED;
            case ABORTED -> Status.Code.ABORTED;
            case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
            default -> Status.Code.UNKNOWN;
          };
      Metadata trailers = new Metadata();
      if (s.reason() != ErrorReason.REASON_UNSPECIFIED) {
        trailers.put(WireHeaders.ERROR_REASON, s.reason().name());
      }
      return code.toStatus().withDescription(s.getMessage()).asRuntimeException(trailers);
    }
    if (e instanceof ReplicationException r) {
      if (r.proposed()) {
        return Status.UNAVAILABLE
            .withDescription(
                r.getMessage()
                    + "; the write may or may not have been applied: read the key before retrying")
            .asRuntimeException();
      }
      return retrySafe(
          Status.UNAVAILABLE.withDescription(r.getMessage() + "; retry or try another member"));
    }
    if (e instanceof StoreUnavailableException u) {
      return retrySafe(Status.UNAVAILABLE.withDescription(u.getMessage() + "; try another member"));
    }
    if (e instanceof TimeoutException) {
      return Status.DEADLINE_EXCEEDED
          .withDescription("timed out: " + e.getMessage())
          .asRuntimeException();
    }
    if (e instanceof CancellationException) {
      return Status.CANCELLED.withDescription("cancelled").asRuntimeException();
    }
    LOG.error("event=internal_error error={}", e.toString(), e);
    return Status.INTERNAL
        .withDescription("internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage())
        .asRuntimeException();
  }

  /** The status of a call without a verified identity. */
  static Status unauthenticated(String message) {
    return Status.UNAUTHENTICATED.withDescription(message);
  }

  private static StatusRuntimeException retrySafe(Status status) {
    Metadata trailers = new Metadata();
    trailers.put(WireHeaders.RETRY_SAFE, "true");
    return status.asRuntimeException(trailers);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
