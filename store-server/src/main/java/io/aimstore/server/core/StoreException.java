package io.aimstore.server.core;

import io.aimstore.internal.CommandError;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.ErrorReason;

/**
 * A request the store refuses, with a code the api layer maps to a gRPC status and a message meant
 * for the person who sent it. Thrown before anything is written; never stops the node.
 */
public final class StoreException extends RuntimeException {
  private final ErrorCode code;
  private final boolean staleFence;
  private final ErrorReason reason;

  public StoreException(ErrorCode code, String message) {
    this(code, message, false, ErrorReason.REASON_UNSPECIFIED);
  }

  public StoreException(ErrorCode code, String message, ErrorReason reason) {
    this(code, message, false, reason);
  }

  private StoreException(ErrorCode code, String message, boolean staleFence, ErrorReason reason) {
    super(message, null, false, false);
    this.code = code;
    this.staleFence = staleFence;
    this.reason = reason;
  }

  /** A write guarded by a fencing token that no longer holds its lock. */
  public static StoreException staleFence(String message) {
    return new StoreException(
        ErrorCode.FAILED_PRECONDITION, message, true, ErrorReason.REASON_UNSPECIFIED);
  }

  /** Why, where a client may act on it; {@code REASON_UNSPECIFIED} otherwise. */
  public ErrorReason reason() {
    return reason;
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
        .setReason(reason)
        .build();
  }

  public static StoreException of(CommandError error) {
    return new StoreException(
        error.getCode(), error.getMessage(), error.getStaleFence(), error.getReason());
  }

  public static StoreException invalid(String message) {
    return new StoreException(ErrorCode.INVALID_ARGUMENT, message);
  }

  public static StoreException invalid(ErrorReason reason, String message) {
    return new StoreException(ErrorCode.INVALID_ARGUMENT, message, reason);
  }

  public static StoreException notFound(String message) {
    return new StoreException(ErrorCode.NOT_FOUND, message);
  }

  /** Lease {@code id} does not exist; {@code why} completes the message. */
  public static StoreException leaseNotFound(long id, String why) {
    return new StoreException(
        ErrorCode.NOT_FOUND, "lease " + id + " not found" + why, ErrorReason.LEASE_NOT_FOUND);
  }

  public static StoreException compacted(long revision, long compactRevision) {
    return new StoreException(
        ErrorCode.OUT_OF_RANGE,
        "revision " + revision + " has been compacted (compact revision " + compactRevision + ")",
        ErrorReason.COMPACTED);
  }

  public static StoreException futureRevision(long revision, long currentRevision) {
    return new StoreException(
        ErrorCode.OUT_OF_RANGE,
        "revision " + revision + " is a future revision (current revision " + currentRevision + ")",
        ErrorReason.FUTURE_REVISION);
  }

  public static StoreException failedPrecondition(String message) {
    return new StoreException(ErrorCode.FAILED_PRECONDITION, message);
  }

  public static StoreException outOfRange(String message) {
    return new StoreException(ErrorCode.OUT_OF_RANGE, message);
  }
}
