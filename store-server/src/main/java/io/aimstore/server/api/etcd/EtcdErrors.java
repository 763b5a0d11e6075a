package io.aimstore.server.api.etcd;

import io.aimstore.api.WireHeaders;
import io.aimstore.internal.ErrorReason;
import io.aimstore.server.api.GrpcErrors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Turns aimstore's failures into the statuses etcd clients expect. etcd clients match error
 * <em>texts</em> (Go's clientv3 maps {@code "etcdserver: mvcc: required revision has been
 * compacted"} to {@code rpctypes.ErrCompacted}, jetcd compares descriptions): where aimstore's
 * refusal has an etcd counterpart (the {@link WireHeaders#ERROR_REASON} trailer says which) the
 * answer is etcd's code and text exactly; any other failure keeps aimstore's status and message,
 * which name the limit, key or lease concerned.
 */
public final class EtcdErrors {
  static final String COMPACTED = "etcdserver: mvcc: required revision has been compacted";
  static final String NO_LEADER = "etcdserver: no leader";

  /** etcd's election texts (its Go errors, sent as code UNKNOWN), which jetcd matches. */
  static final String ELECTION_NOT_LEADER = "election: not leader";

  static final String ELECTION_NO_LEADER = "election: no leader";

  private EtcdErrors() {}

  /** The status an etcd client should see for {@code t}. */
  public static StatusRuntimeException toEtcd(Throwable t) {
    StatusRuntimeException aim = GrpcErrors.toStatus(t);
    Status status = aim.getStatus();
    Metadata trailers = aim.getTrailers() == null ? new Metadata() : aim.getTrailers();
    String reason = trailers.get(WireHeaders.ERROR_REASON);
    if (reason != null) {
      Status etcd = forReason(reason);
      if (etcd != null) {
        return etcd.asRuntimeException(trailers);
      }
    }
    if (status.getCode() == Status.Code.UNAVAILABLE
        && status.getDescription() != null
        && status.getDescription().startsWith("no leader known")) {
      return Status.UNAVAILABLE.withDescription(NO_LEADER).asRuntimeException(trailers);
    }
    return aim;
  }

  /** etcd's status for an aimstore refusal reason, or null if etcd has none. */
  static Status forReason(String reason) {
    ErrorReason r;
    try {
      r = ErrorReason.valueOf(reason);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return switch (r) {
      case COMPACTED -> Status.OUT_OF_RANGE.withDescription(COMPACTED);
      case FUTURE_REVISION ->
          Status.OUT_OF_RANGE.withDescription(
              "etcdserver: mvcc: required revision is a future revision");
      case LEASE_NOT_FOUND ->
          Status.NOT_FOUND.withDescription("etcdserver: requested lease not found");
      case LEASE_EXISTS ->
          Status.FAILED_PRECONDITION.withDescription("etcdserver: lease already exists");
      case KEY_NOT_FOUND -> Status.INVALID_ARGUMENT.withDescription("etcdserver: key not found");
      case EMPTY_KEY -> Status.INVALID_ARGUMENT.withDescription("etcdserver: key is not provided");
      case TOO_MANY_OPS ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: too many operations in txn request");
      case DUPLICATE_KEY ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: duplicate key given in txn request");
      case VALUE_PROVIDED ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: value is provided");
      case LEASE_PROVIDED ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: lease is provided");
      case LEASE_TTL_OUT_OF_RANGE ->
          Status.OUT_OF_RANGE.withDescription("etcdserver: too large lease TTL");
      case REQUEST_TOO_LARGE ->
          Status.INVALID_ARGUMENT.withDescription("etcdserver: request is too large");
      case NOSPACE ->
          Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: mvcc: database space exceeded");
      default -> null;
    };
  }

  /** An etcd call aimstore does not implement, saying why. */
  static StatusRuntimeException unimplemented(String why) {
    return Status.UNIMPLEMENTED.withDescription(why).asRuntimeException();
  }
}
