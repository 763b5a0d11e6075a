package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.LockAcquire;
import io.aimstore.internal.LockAcquireResult;
import io.aimstore.internal.LockForceRelease;
import io.aimstore.server.core.CoreHarness.Cmd;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Claims in etcd's layout ({@code N/<lease hex>} attached to that lease): written by etcd clients'
 * recipes with plain puts, or queued by the etcd Lock/Election services, they are claims on lock N
 * like the store's own.
 */
class EtcdStyleLockTest {
  @TempDir Path dir;
  CoreHarness h;
  long a;
  long b;

  @BeforeEach
  void open() {
    h = CoreHarness.open(dir);
    a = h.grant(0, 60);
    b = h.grant(0, 60);
    h.put("unrelated", "x");
  }

  @AfterEach
  void close() {
    h.close();
  }

  private static Command etcdAcquire(String lock, long lease, String value) {
    return Command.newBuilder()
        .setLockAcquire(
            LockAcquire.newBuilder()
                .setName(lock)
                .setLease(lease)
                .setStyle(LockAcquire.Style.ETCD)
                .setValue(bs(value)))
        .build();
  }

  private String key(String lock, long lease) {
    return lock + "/" + Long.toHexString(lease);
  }

  static Stream<Arguments> keys() {
    return Stream.of(
        Arguments.of("name/<own lease hex>", "jobs/lock/%x", true, "jobs/lock"),
        Arguments.of("one-segment name", "mylock/%x", true, "mylock"),
        Arguments.of("leading slash", "/locks/a/%x", true, "/locks/a"),
        Arguments.of("no name before the slash", "/%x", false, null),
        Arguments.of("no slash", "%x", false, null),
        Arguments.of("hex of another lease", "jobs/lock/ffff", false, null),
        Arguments.of("zero-padded hex", "jobs/lock/000%x", false, null),
        Arguments.of("under the reserved prefix", "/_aimstore/x/%x", false, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void aPutKeyIsAClaimExactlyWhenItsLastSegmentIsItsLeaseInHex(
      String name, String pattern, boolean claim, String lock) {
    String k = String.format(pattern, a);
    if (k.startsWith("/_aimstore/")) {
      assertThat(LockTable.etcdLockOf(bs(k), a)).isNull();
      return;
    }
    h.put(k, "", a);
    assertThat(LockTable.etcdLockOf(bs(k), a)).isEqualTo(lock);
    if (claim) {
      Store.LockState s = h.store().lock(lock);
      assertThat(s.claims()).extracting(KeyValue::getKey).containsExactly(bs(k));
      assertThat(s.record().getHolderLease()).isEqualTo(a);
      assertThat(h.store().lockHolderToken(lock)).isEqualTo(h.get(k).getCreateRevision());
    } else {
      assertThat(h.store().locks("")).isEmpty();
    }
  }

  @Test
  void aKeyWithoutALeaseIsNoClaim() {
    h.put(key("L", a), "");
    assertThat(h.store().lock("L")).isNull();
  }

  @Test
  void theEtcdMutexRecipeHoldsTheLockAndItsDeleteOrLeaseEndPassesIt() {
    // etcdctl lock: txn put N/<lease> "" with the lease if absent
    long ta = h.put(key("L", a), "", a).getHeader().getRevision();
    long tb = h.put(key("L", b), "", b).getHeader().getRevision();
    assertThat(h.store().lockHolderToken("L")).isEqualTo(ta);
    assertThat(h.store().lock("L").claims())
        .extracting(KeyValue::getCreateRevision)
        .containsExactly(ta, tb);
    // etcdctl unlocks with a delete of its key
    ApplyResult r = h.applyEntry(Cmd.delete(key("L", a)));
    assertThat(r.lockChanges()).containsExactly(new LockChange("L", tb, b));
    r = h.applyEntry(Cmd.revoke(b));
    assertThat(r.lockChanges()).containsExactly(new LockChange("L", 0, 0));
    assertThat(h.store().lock("L")).isNull();
  }

  @Test
  void storeAndEtcdClaimsOnOneNameQueueTogetherByCreateRevision() {
    long native1 = h.acquire("L", a).getToken();
    LockAcquireResult etcd = h.ok(etcdAcquire("L", b, "")).getLockAcquire();
    assertThat(etcd.getKey()).isEqualTo(bs(key("L", b)));
    assertThat(etcd.getToken()).isGreaterThan(native1);
    assertThat(h.store().lockHolderToken("L")).isEqualTo(native1);
    h.release("L", native1);
    assertThat(h.store().lockHolderToken("L")).isEqualTo(etcd.getToken());
    // and a release by token works on the etcd-style claim too
    assertThat(h.release("L", etcd.getToken())).isTrue();
    assertThat(h.get(key("L", b))).isNull();
  }

  @Test
  void theEtcdHoldersTokenFencesStoreWrites() {
    long token = h.ok(etcdAcquire("fleet/lock", a, "")).getLockAcquire().getToken();
    Fence fence = Fence.newBuilder().setLock("fleet/lock").setToken(token).build();
    h.ok(Cmd.put(PutRequest.newBuilder().setKey(bs("cfg")).setValue(bs("1")).setFence(fence)));
    h.put(key("fleet/lock", b), "", b);
    h.revoke(a);
    String msg =
        h.fails(
            Cmd.put(PutRequest.newBuilder().setKey(bs("cfg")).setValue(bs("2")).setFence(fence)),
            ErrorCode.FAILED_PRECONDITION);
    assertThat(msg).startsWith("stale fencing token " + token + " for lock fleet/lock");
  }

  @Test
  void acquiringAgainReturnsTheSameClaimAndACampaignsNewValueReplacesTheOld() {
    LockAcquireResult first = h.ok(etcdAcquire("E", a, "v1")).getLockAcquire();
    long rev = h.revision();
    LockAcquireResult same = h.ok(etcdAcquire("E", a, "v1")).getLockAcquire();
    assertThat(same.getExisted()).isTrue();
    assertThat(same.getToken()).isEqualTo(first.getToken());
    assertThat(h.revision()).isEqualTo(rev);
    ApplyResult r = h.applyEntry(etcdAcquire("E", a, "v2"));
    assertThat(r.results().get(0).getLockAcquire().getToken()).isEqualTo(first.getToken());
    assertThat(r.events().get(0).events())
        .extracting(Event::getType)
        .containsExactly(Event.EventType.PUT);
    KeyValue kv = h.get(key("E", a));
    assertThat(kv.getValue()).isEqualTo(bs("v2"));
    assertThat(kv.getCreateRevision()).isEqualTo(first.getToken());
  }

  @Test
  void anExistingKeyOnAnotherLeaseIsNotTakenAsTheClaim() {
    h.put(key("E", a), "mine", b);
    String msg = h.fails(etcdAcquire("E", a, ""), ErrorCode.FAILED_PRECONDITION);
    assertThat(msg).contains("is not attached to lease " + a);
  }

  @Test
  void forceReleaseDeletesAnEtcdStyleHoldersKey() {
    h.put(key("L", a), "", a);
    h.put(key("L", b), "", b);
    h.ok(
        Command.newBuilder()
            .setLockForceRelease(
                LockForceRelease.newBuilder()
                    .setRequest(
                        ForceReleaseRequest.newBuilder()
                            .setName("L")
                            .setReason("stuck")
                            .setOperator("alice")))
            .build());
    assertThat(h.get(key("L", a))).isNull();
    assertThat(h.store().lock("L").record().getHolderLease()).isEqualTo(b);
  }

  @Test
  void claimQueuedAtIsKnownOnlyForTheStoresOwnClaims() {
    h.acquire("L", a);
    h.put(key("L", b), "\u0008\u0001", b); // a value that would parse as a ClaimRecord
    List<KeyValue> claims = h.store().lock("L").claims();
    assertThat(Store.claimQueuedAtMs(claims.get(0))).isPositive();
    assertThat(Store.claimQueuedAtMs(claims.get(1))).isZero();
    assertThat(Store.lockOf(claims.get(1))).isEqualTo("L");
    assertThat(Store.lockOf(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("L/x")).build()))
        .isNull();
  }
}
