package io.aimstore.client;

import io.aimstore.api.WireHeaders;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A request failed. {@link #code()} is the gRPC status code the store answered with (or UNAVAILABLE
 * when no member could be reached); the message is the store's, meant for people.
 */
public final class AimStoreException extends RuntimeException {
  private final Status.Code code;
  private final boolean retrySafe;

  public AimStoreException(Status.Code code, String message, boolean retrySafe, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.retrySafe = retrySafe;
  }

  public Status.Code code() {
    return code;
  }

  /** True when the request certainly did not take effect, so sending it again is safe. */
  public boolean retrySafe() {
    return retrySafe;
  }

  /** Wraps any failure of a call (unwrapping futures' wrappers). */
  public static AimStoreException from(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof AimStoreException a) {
      return a;
    }
    Status s = Status.fromThrowable(t);
    Metadata trailers = Status.trailersFromThrowable(t);
    boolean safe = trailers != null && "true".equals(trailers.get(WireHeaders.RETRY_SAFE));
    String description = s.getDescription();
    if (description == null) {
      description = s.getCause() != null ? s.getCause().toString() : s.getCode().name();
    }
    return new AimStoreException(s.getCode(), s.getCode() + ": " + description, safe, t);
  }
}
