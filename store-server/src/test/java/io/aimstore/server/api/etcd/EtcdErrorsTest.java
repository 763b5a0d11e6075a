package io.aimstore.server.api.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.ErrorReason;
import io.aimstore.server.core.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** aimstore refusals become etcd's exact codes and texts, which etcd clients match. */
class EtcdErrorsTest {
  static Stream<Arguments> reasons() {
    return Stream.of(
        Arguments.of(
            StoreException.compacted(3, 5),
            Status.Code.OUT_OF_RANGE,
            "etcdserver: mvcc: required revision has been compacted"),
        Arguments.of(
            StoreException.futureRevision(9, 5),
            Status.Code.OUT_OF_RANGE,
            "etcdserver: mvcc: required revision is a future revision"),
        Arguments.of(
            StoreException.leaseNotFound(7, ""),
            Status.Code.NOT_FOUND,
            "etcdserver: requested lease not found"),
        Arguments.of(
            new StoreException(ErrorCode.ALREADY_EXISTS, "x", ErrorReason.LEASE_EXISTS),
            Status.Code.FAILED_PRECONDITION,
            "etcdserver: lease already exists"),
        Arguments.of(
            StoreException.invalid(ErrorReason.EMPTY_KEY, "key is empty"),
            Status.Code.INVALID_ARGUMENT,
            "etcdserver: key is not provided"),
        Arguments.of(
            StoreException.invalid(ErrorReason.LEASE_TTL_OUT_OF_RANGE, "x"),
            Status.Code.OUT_OF_RANGE,
            "etcdserver: too large lease TTL"),
        Arguments.of(
            StoreException.invalid(ErrorReason.DUPLICATE_KEY, "x"),
            Status.Code.INVALID_ARGUMENT,
            "etcdserver: duplicate key given in txn request"),
        Arguments.of(
            StoreException.invalid(ErrorReason.TOO_MANY_OPS, "x"),
            Status.Code.INVALID_ARGUMENT,
            "etcdserver: too many operations in txn request"),
        Arguments.of(
            new StoreException(ErrorCode.NOT_FOUND, "x", ErrorReason.KEY_NOT_FOUND),
            Status.Code.INVALID_ARGUMENT,
            "etcdserver: key not found"),
        Arguments.of(
            StoreException.invalid(ErrorReason.REQUEST_TOO_LARGE, "x"),
            Status.Code.INVALID_ARGUMENT,
            "etcdserver: request is too large"),
        Arguments.of(
            new StoreException(ErrorCode.RESOURCE_EXHAUSTED, "quota", ErrorReason.NOSPACE),
            Status.Code.RESOURCE_EXHAUSTED,
            "etcdserver: mvcc: database space exceeded"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("reasons")
  void aRefusalWithAReasonBecomesEtcdsError(StoreException e, Status.Code code, String text) {
    StatusRuntimeException s = EtcdErrors.toEtcd(new CompletionException(e));
    assertThat(s.getStatus().getCode()).isEqualTo(code);
    assertThat(s.getStatus().getDescription()).isEqualTo(text);
    // mapping twice (a relayed failure) changes nothing
    assertThat(EtcdErrors.toEtcd(s).getStatus().getDescription()).isEqualTo(text);
  }

  @Test
  void aRefusalWithoutAnEtcdCounterpartKeepsAimstoresMessage() {
    StatusRuntimeException s = EtcdErrors.toEtcd(StoreException.invalid("lock name is empty"));
    assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getStatus().getDescription()).isEqualTo("lock name is empty");
  }

  @Test
  void noLeaderIsEtcdsNoLeader() {
    StatusRuntimeException s =
        EtcdErrors.toEtcd(
            Status.UNAVAILABLE
                .withDescription("no leader known right now (election in progress?); retry shortly")
                .asRuntimeException());
    assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(s.getStatus().getDescription()).isEqualTo("etcdserver: no leader");
  }
}
