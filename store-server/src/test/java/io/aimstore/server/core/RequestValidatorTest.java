package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.OWNER;
import static io.aimstore.server.core.CoreHarness.bs;
import static io.aimstore.server.core.CoreHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.LeaseGrantRequest;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.ErrorCode;
import io.aimstore.server.core.CoreHarness.Ops;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Stateless request checks: sizes, shapes, reserved keys; each message names the rule. */
class RequestValidatorTest {
  private static final RequestValidator V = new RequestValidator(Limits.DEFAULT);
  private static final int MAX_KEY = Limits.DEFAULT.maxKeyBytes();
  private static final int MAX_VALUE = Limits.DEFAULT.maxValueBytes();
  private static final int MAX_OPS = Limits.DEFAULT.maxTxnOps();

  record Bad(String name, Consumer<RequestValidator> check, ErrorCode code, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  record Good(String name, Consumer<RequestValidator> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ByteString filled(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 'k');
    return ByteString.copyFrom(b);
  }

  static PutRequest.Builder put(ByteString key) {
    return PutRequest.newBuilder().setKey(key).setValue(bs("v"));
  }

  static TxnRequest.Builder txnWithOps(int n, boolean failureBranch) {
    TxnRequest.Builder t = TxnRequest.newBuilder();
    IntStream.range(0, n)
        .mapToObj(i -> Ops.put("k" + i, "v"))
        .forEach(
            op -> {
              if (failureBranch) {
                t.addFailure(op);
              } else {
                t.addSuccess(op);
              }
            });
    return t;
  }

  static Fence fence(String lock, long token) {
    return Fence.newBuilder().setLock(lock).setToken(token).build();
  }

  static ForceReleaseRequest.Builder force() {
    return ForceReleaseRequest.newBuilder().setName("L").setReason("why").setOperator("alice");
  }

  static Stream<Bad> bad() {
    return Stream.of(
        // keys
        new Bad(
            "put: empty key",
            v -> v.checkPut(put(ByteString.EMPTY).build()),
            ErrorCode.INVALID_ARGUMENT,
            "key is empty"),
        new Bad(
            "put: key over the limit",
            v -> v.checkPut(put(filled(MAX_KEY + 1)).build()),
            ErrorCode.INVALID_ARGUMENT,
            "key is 4097 bytes; the limit is 4096 bytes (max key size)"),
        new Bad(
            "range: key over the limit",
            v -> v.checkRange(RangeRequest.newBuilder().setKey(filled(MAX_KEY + 1)).build()),
            ErrorCode.INVALID_ARGUMENT,
            "key is 4097 bytes; the limit is 4096 bytes (max key size)"),
        new Bad(
            "delete: empty single key",
            v -> v.checkDeleteRange(DeleteRangeRequest.getDefaultInstance()),
            ErrorCode.INVALID_ARGUMENT,
            "key is empty"),
        new Bad(
            "compare: empty key",
            v ->
                v.checkTxn(
                    TxnRequest.newBuilder()
                        .addCompare(Compare.newBuilder().setKey(ByteString.EMPTY))
                        .build()),
            ErrorCode.INVALID_ARGUMENT,
            "key is empty"),
        // values
        new Bad(
            "put: value of 1.5 MiB",
            v -> v.checkPut(put(bs("k")).setValue(filled(3 * 512 * 1024)).build()),
            ErrorCode.INVALID_ARGUMENT,
            "value is 1572864 bytes; the limit is 1048576 bytes (max value size)"),
        new Bad(
            "put: value one byte over",
            v -> v.checkPut(put(bs("k")).setValue(filled(MAX_VALUE + 1)).build()),
            ErrorCode.INVALID_ARGUMENT,
            "value is 1048577 bytes; the limit is 1048576 bytes (max value size)"),
        new Bad(
            "txn put: value of 1.5 MiB",
            v ->
                v.checkTxn(
                    TxnRequest.newBuilder()
                        .addSuccess(Ops.put(put(bs("k")).setValue(filled(3 * 512 * 1024))))
                        .build()),
            ErrorCode.INVALID_ARGUMENT,
            "(max value size)"),
        // put flags
        new Bad(
            "put: ignore_value with a value",
            v -> v.checkPut(put(bs("k")).setIgnoreValue(true).build()),
            ErrorCode.INVALID_ARGUMENT,
            "ignore_value is set, so value must be empty"),
        new Bad(
            "put: ignore_lease with a lease",
            v -> v.checkPut(put(bs("k")).setIgnoreLease(true).setLease(5).build()),
            ErrorCode.INVALID_ARGUMENT,
            "ignore_lease is set, so lease must be 0"),
        new Bad(
            "put: negative lease",
            v -> v.checkPut(put(bs("k")).setLease(-1).build()),
            ErrorCode.INVALID_ARGUMENT,
            "lease id must be >= 0, got -1"),
        // txn sizes and shapes
        new Bad(
            "txn: too many success ops",
            v -> v.checkTxn(txnWithOps(MAX_OPS + 1, false).build()),
            ErrorCode.INVALID_ARGUMENT,
            "txn success branch has 129 operations; the limit is 128 (max txn ops)"),
        new Bad(
            "txn: too many failure ops",
            v -> v.checkTxn(txnWithOps(MAX_OPS + 1, true).build()),
            ErrorCode.INVALID_ARGUMENT,
            "txn failure branch has 129 operations; the limit is 128 (max txn ops)"),
        new Bad(
            "txn: too many compares",
            v -> {
              TxnRequest.Builder t = TxnRequest.newBuilder();
              for (int i = 0; i <= MAX_OPS; i++) {
                t.addCompare(Ops.version("k", Compare.CompareResult.EQUAL, 1));
              }
              v.checkTxn(t.build());
            },
            ErrorCode.INVALID_ARGUMENT,
            "txn has 129 compares; the limit is 128"),
        new Bad(
            "txn: empty op",
            v ->
                v.checkTxn(
                    TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance()).build()),
            ErrorCode.INVALID_ARGUMENT,
            "txn success branch has an empty op"),
        new Bad(
            "txn: duplicate put",
            v ->
                v.checkTxn(
                    TxnRequest.newBuilder()
                        .addFailure(Ops.put("a", "1"))
                        .addFailure(Ops.put("a", "2"))
                        .build()),
            ErrorCode.INVALID_ARGUMENT,
            "txn puts key \"a\" twice"),
        new Bad(
            "txn: put inside a deleted range",
            v ->
                v.checkTxn(
                    TxnRequest.newBuilder()
                        .addSuccess(Ops.deleteRange("a", "c"))
                        .addSuccess(Ops.put("b", "1"))
                        .build()),
            ErrorCode.INVALID_ARGUMENT,
            "txn both puts and deletes key \"b\""),
        new Bad(
            "txn: fence on an op",
            v ->
                v.checkTxn(
                    TxnRequest.newBuilder()
                        .addSuccess(Ops.put(put(bs("k")).setFence(fence("L", 3))))
                        .build()),
            ErrorCode.INVALID_ARGUMENT,
            "a fence guards the whole txn: set TxnRequest.fence"),
        // reserved keys
        new Bad(
            "put under the reserved prefix",
            v -> v.checkPut(put(bs("/_aimstore/locks/L/0000000000000001")).build()),
            ErrorCode.PERMISSION_DENIED,
            "keys under /_aimstore/ are managed by the store (locks, audit); use the Lock API"),
        new Bad(
            "delete of a reserved key",
            v ->
                v.checkDeleteRange(
                    DeleteRangeRequest.newBuilder().setKey(bs("/_aimstore/audit/1")).build()),
            ErrorCode.PERMISSION_DENIED,
            "keys under /_aimstore/"),
        new Bad(
            "txn put under the reserved prefix",
            v ->
                v.checkTxn(
                    TxnRequest.newBuilder().addSuccess(Ops.put("/_aimstore/x", "1")).build()),
            ErrorCode.PERMISSION_DENIED,
            "keys under /_aimstore/"),
        // ranges, compaction
        new Bad(
            "range: negative limit",
            v -> v.checkRange(RangeRequest.newBuilder().setKey(bs("a")).setLimit(-1).build()),
            ErrorCode.INVALID_ARGUMENT,
            "limit must be >= 0, got -1"),
        new Bad(
            "range: negative revision",
            v -> v.checkRange(RangeRequest.newBuilder().setKey(bs("a")).setRevision(-3).build()),
            ErrorCode.INVALID_ARGUMENT,
            "revision must be >= 0, got -3"),
        new Bad(
            "compaction at 0",
            v -> v.checkCompaction(0),
            ErrorCode.INVALID_ARGUMENT,
            "compaction revision must be > 0, got 0"),
        // fences
        new Bad(
            "put: fence token 0",
            v -> v.checkPut(put(bs("k")).setFence(fence("L", 0)).build()),
            ErrorCode.INVALID_ARGUMENT,
            "fence token must be > 0, got 0"),
        new Bad(
            "delete: fence without lock name",
            v ->
                v.checkDeleteRange(
                    DeleteRangeRequest.newBuilder().setKey(bs("k")).setFence(fence("", 3)).build()),
            ErrorCode.INVALID_ARGUMENT,
            "lock name is empty"),
        new Bad(
            "txn: fence token negative",
            v -> v.checkTxn(TxnRequest.newBuilder().setFence(fence("L", -2)).build()),
            ErrorCode.INVALID_ARGUMENT,
            "fence token must be > 0, got -2"),
        // leases
        new Bad(
            "lease: ttl under the minimum",
            v ->
                v.checkLeaseGrant(LeaseGrantRequest.newBuilder().setTtl(1).setOwner(OWNER).build()),
            ErrorCode.INVALID_ARGUMENT,
            "lease TTL must be between 2 and 2592000 seconds, got 1"),
        new Bad(
            "lease: ttl over the maximum",
            v ->
                v.checkLeaseGrant(
                    LeaseGrantRequest.newBuilder().setTtl(2_592_001).setOwner(OWNER).build()),
            ErrorCode.INVALID_ARGUMENT,
            "lease TTL must be between 2 and 2592000 seconds, got 2592001"),
        new Bad(
            "lease: negative id",
            v ->
                v.checkLeaseGrant(
                    LeaseGrantRequest.newBuilder().setTtl(10).setId(-1).setOwner(OWNER).build()),
            ErrorCode.INVALID_ARGUMENT,
            "lease id must be >= 0, got -1"),
        new Bad(
            "lease: no owner",
            v -> v.checkLeaseGrant(LeaseGrantRequest.newBuilder().setTtl(10).build()),
            ErrorCode.INVALID_ARGUMENT,
            "owner.name, owner.host and owner.pid (> 0) are required"),
        new Bad(
            "lease: owner with a blank host",
            v ->
                v.checkLeaseGrant(
                    LeaseGrantRequest.newBuilder()
                        .setTtl(10)
                        .setOwner(Owner.newBuilder().setName("n").setHost(" ").setPid(1))
                        .build()),
            ErrorCode.INVALID_ARGUMENT,
            "owner.host"),
        // locks
        new Bad(
            "lock: empty name",
            v -> v.checkLockName(""),
            ErrorCode.INVALID_ARGUMENT,
            "lock name is empty"),
        new Bad(
            "lock: name too long",
            v -> v.checkLockName("x".repeat(513)),
            ErrorCode.INVALID_ARGUMENT,
            "lock name is 513 chars; the limit is 512"),
        new Bad(
            "lock: NUL in name",
            v -> v.checkLockName("a\0b"),
            ErrorCode.INVALID_ARGUMENT,
            "lock name contains a NUL character"),
        new Bad(
            "force-release: no reason",
            v -> v.checkForceRelease(force().clearReason().build()),
            ErrorCode.INVALID_ARGUMENT,
            "a force-release needs a reason (it goes into the audit log)"),
        new Bad(
            "force-release: blank reason",
            v -> v.checkForceRelease(force().setReason("   ").build()),
            ErrorCode.INVALID_ARGUMENT,
            "a force-release needs a reason"),
        new Bad(
            "force-release: negative quarantine",
            v -> v.checkForceRelease(force().setQuarantineMs(-1).build()),
            ErrorCode.INVALID_ARGUMENT,
            "quarantine must be >= 0 ms, got -1"),
        new Bad(
            "force-release: no lock name",
            v -> v.checkForceRelease(force().clearName().build()),
            ErrorCode.INVALID_ARGUMENT,
            "lock name is empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void rejects(Bad c) {
    StoreException e = catchThrowableOfType(StoreException.class, () -> c.check().accept(V));
    assertThat(e).as("no exception").isNotNull();
    assertThat(e.code()).isEqualTo(c.code());
    assertThat(e.getMessage()).contains(c.message());
    assertThat(e.toProto().getCode()).isEqualTo(c.code());
    assertThat(e.toProto().getMessage()).isEqualTo(e.getMessage());
  }

  static Stream<Good> good() {
    return Stream.of(
        new Good("put: key at the limit", v -> v.checkPut(put(filled(MAX_KEY)).build())),
        new Good(
            "put: value at the limit",
            v -> v.checkPut(put(bs("k")).setValue(filled(MAX_VALUE)).build())),
        new Good("put: binary key", v -> v.checkPut(put(bytes(0, 0xFF, 0)).build())),
        new Good(
            "put: key that only looks reserved", v -> v.checkPut(put(bs("/_aimstore")).build())),
        new Good(
            "put: ignore_value without value",
            v -> v.checkPut(PutRequest.newBuilder().setKey(bs("k")).setIgnoreValue(true).build())),
        new Good("put: fenced", v -> v.checkPut(put(bs("k")).setFence(fence("L", 1)).build())),
        new Good(
            "range: empty key (all keys)",
            v ->
                v.checkRange(
                    RangeRequest.newBuilder().setRangeEnd(KeyRanges.ALL_FROM_KEY).build())),
        new Good(
            "range: reserved keys may be read",
            v -> v.checkRange(RangeRequest.newBuilder().setKey(bs("/_aimstore/audit/")).build())),
        new Good(
            "delete: a range over reserved keys (apply skips them)",
            v ->
                v.checkDeleteRange(
                    DeleteRangeRequest.newBuilder()
                        .setKey(bs("/"))
                        .setRangeEnd(KeyRanges.ALL_FROM_KEY)
                        .build())),
        new Good("txn: ops at the limit", v -> v.checkTxn(txnWithOps(MAX_OPS, false).build())),
        new Good(
            "txn: overlapping deletes",
            v ->
                v.checkTxn(
                    TxnRequest.newBuilder()
                        .addSuccess(Ops.deleteRange("a", "c"))
                        .addSuccess(Ops.delete("b"))
                        .build())),
        new Good(
            "txn: same key in both branches",
            v ->
                v.checkTxn(
                    TxnRequest.newBuilder()
                        .addSuccess(Ops.put("a", "1"))
                        .addFailure(Ops.put("a", "2"))
                        .build())),
        new Good("compaction at 1", v -> v.checkCompaction(1)),
        new Good(
            "lease: bounds",
            v -> {
              v.checkLeaseGrant(LeaseGrantRequest.newBuilder().setTtl(2).setOwner(OWNER).build());
              v.checkLeaseGrant(
                  LeaseGrantRequest.newBuilder().setTtl(2_592_000).setOwner(OWNER).build());
            }),
        new Good("lock: name at the limit", v -> v.checkLockName("x".repeat(512))),
        new Good(
            "force-release with quarantine",
            v -> v.checkForceRelease(force().setQuarantineMs(5000).build())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void accepts(Good c) {
    assertThatCode(() -> c.check().accept(V)).doesNotThrowAnyException();
  }

  @Test
  void printableQuotesTextAndHexesBinary() {
    assertThat(RequestValidator.printable(bs("cfg/a"))).isEqualTo("\"cfg/a\"");
    assertThat(RequestValidator.printable(bytes('a', 0, 0xFF))).isEqualTo("0x6100ff");
    assertThat(RequestValidator.printable(bs("tab\there"))).isEqualTo("0x7461620968657265");
  }

  @Test
  void smallerLimitsAreHonoured() {
    RequestValidator small =
        new RequestValidator(
            new Limits(
                8, 16, 2, 64, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(60)));
    assertThat(
            catchThrowableOfType(
                StoreException.class, () -> small.checkPut(put(filled(9)).build())))
        .hasMessage("key is 9 bytes; the limit is 8 bytes (max key size)");
    assertThat(
            catchThrowableOfType(
                StoreException.class,
                () -> small.checkPut(put(bs("k")).setValue(filled(17)).build())))
        .hasMessage("value is 17 bytes; the limit is 16 bytes (max value size)");
    assertThat(
            catchThrowableOfType(
                StoreException.class, () -> small.checkTxn(txnWithOps(3, false).build())))
        .hasMessageContaining("the limit is 2 (max txn ops)");
    assertThat(
            catchThrowableOfType(
                StoreException.class,
                () ->
                    small.checkLeaseGrant(
                        LeaseGrantRequest.newBuilder().setTtl(4).setOwner(OWNER).build())))
        .hasMessage("lease TTL must be between 5 and 60 seconds, got 4");
    assertThat(small.limits().maxKeyBytes()).isEqualTo(8);
  }

  @Test
  void anOwnerRecordedByACompatibleApiNamesItsConnectionInsteadOfAPid() {
    Owner etcd =
        Owner.newBuilder()
            .setName("etcd-client")
            .setHost("10.0.0.7")
            .putLabels(RequestValidator.API_LABEL, "etcd-v3")
            .putLabels(RequestValidator.PEER_LABEL, "10.0.0.7:50311")
            .build();
    RequestValidator.checkOwner(etcd);
    assertThat(
            catchThrowableOfType(
                StoreException.class,
                () ->
                    RequestValidator.checkOwner(
                        etcd.toBuilder().removeLabels(RequestValidator.PEER_LABEL).build())))
        .hasMessageContaining("owner.pid (> 0)");
    assertThat(
            catchThrowableOfType(
                StoreException.class,
                () ->
                    RequestValidator.checkOwner(
                        etcd.toBuilder().removeLabels(RequestValidator.API_LABEL).build())))
        .hasMessageContaining("owner.pid (> 0)");
  }

  @Test
  void anEtcdStyleClaimMustBeAKeyAPutCouldWrite() {
    RequestValidator v = new RequestValidator(Limits.DEFAULT);
    io.aimstore.internal.LockAcquire.Builder claim =
        io.aimstore.internal.LockAcquire.newBuilder()
            .setName("jobs/lock")
            .setLease(0x1f)
            .setStyle(io.aimstore.internal.LockAcquire.Style.ETCD);
    v.checkLockAcquire(claim.build());
    assertThat(
            catchThrowableOfType(
                StoreException.class,
                () -> v.checkLockAcquire(claim.clone().setName("/_aimstore/x").build())))
        .hasMessageContaining("managed by the store");
    assertThat(
            catchThrowableOfType(
                StoreException.class, () -> v.checkLockAcquire(claim.clone().setLease(0).build())))
        .hasMessageContaining("lease > 0");
    assertThat(
            catchThrowableOfType(
                StoreException.class,
                () ->
                    v.checkLockAcquire(
                        claim
                            .clone()
                            .setStyle(io.aimstore.internal.LockAcquire.Style.AIMSTORE)
                            .setValue(bs("x"))
                            .build())))
        .hasMessageContaining("carries no value");
  }
}
