package io.aimstore.server.core;

import io.aimstore.internal.CommandError;
import io.aimstore.internal.ErrorCode;

/**
 * A request the store refuses, with a code the api layer maps to a gRPC status and a message meant
 * for the person who sent it. Thrown before anything is written; never stops the node.
 */
public final class StoreException extends RuntimeException {
  private final ErrorCode code;
  private final boolean staleFence;

  public StoreException(ErrorCode code, String message) {
    this(code, message, false);
  }

  private StoreException(ErrorCode code, String message, boolean staleFence) {
    super(message, null, false, false);
    this.code = code;
    this.staleFence = staleFence;
  }

  /** A write guarded by a fencing token that no longer holds its lock. */
  public static StoreException staleFence(String message) {
    return new StoreException(ErrorCode.FAILED_PRECONDITION, message, true);
  }

  public boolean staleFence() {
    return staleFence;
  }

  public ErrorCode code() {
    return code;
  }

  public CommandError toProto() {
    return CommandError.newBuilder()
        .setCode(code)
        .setMessage(getMessage())
        .setStaleFence(staleFence)
        .build();
  }

  public static StoreException of(CommandError error) {
    return new StoreException(error.getCode(), error.getMessage(), error.getStaleFence());
  }

  public static StoreException invalid(String message) {
    return new StoreException(ErrorCode.INVALID_ARGUMENT, message);
  }

  public static StoreException notFound(String message) {
    return new StoreException(ErrorCode.NOT_FOUND, message);
  }

  public static StoreException failedPrecondition(String message) {
    return new StoreException(ErrorCode.FAILED_PRECONDITION, message);
  }

  public static StoreException outOfRange(String message) {
    return new StoreException(ErrorCode.OUT_OF_RANGE, message);
  }
}
