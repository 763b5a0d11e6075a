package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.OWNER;
import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.ClaimRecord;
import io.aimstore.internal.Command;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.LockAcquireResult;
import io.aimstore.internal.LockRecord;
import io.aimstore.server.core.CoreHarness.Cmd;
import io.aimstore.server.core.CoreHarness.Ops;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Fair, fenced locks: queues of claim keys, tokens, release, fencing and force-release. */
class LockTest extends CoreTest {
  long a;
  long b;
  long c;

  @BeforeEach
  void grantLeases() {
    a = h.grant(0, 60);
    b = h.grant(0, 60);
    c = h.grant(0, 60);
    h.put("unrelated", "x"); // rev 1, so tokens are not just 1, 2, 3
  }

  private long holder(String lock) {
    return h.store().lockHolderToken(lock);
  }

  private List<Long> claimTokens(String lock) {
    Store.LockState s = h.store().lock(lock);
    return s == null ? List.of() : s.claims().stream().map(KeyValue::getCreateRevision).toList();
  }

  private static ForceReleaseRequest.Builder force(String lock) {
    return ForceReleaseRequest.newBuilder().setName(lock).setReason("drone stuck");
  }

  @Test
  void firstAcquireHoldsWithTheClaimsCreateRevisionAsToken() {
    long at = h.now();
    ApplyResult r = h.applyEntry(Cmd.acquire("aim/blue", a));
    LockAcquireResult res = r.results().get(0).getLockAcquire();
    assertThat(res.getToken()).isEqualTo(2);
    assertThat(res.getExisted()).isFalse();
    assertThat(res.getKey())
        .isEqualTo(bs("/_aimstore/locks/aim/blue/" + String.format("%016x", a)));
    assertThat(r.results().get(0).getRevision()).isEqualTo(2);
    assertThat(r.lockChanges()).containsExactly(new LockChange("aim/blue", 2, a));

    KeyValue claim = h.get(res.getKey(), 0);
    assertThat(claim.getCreateRevision()).isEqualTo(2);
    assertThat(claim.getLease()).isEqualTo(a);
    assertThat(h.store().leaseKeys(a, 10)).containsExactly(res.getKey());
    assertThat(ClaimRecord.newBuilder().setLock("aim/blue").setLease(a).setQueuedAtMs(at).build())
        .isEqualTo(parseClaim(claim));

    Store.LockState s = h.store().lock("aim/blue");
    assertThat(s.record().getName()).isEqualTo("aim/blue");
    assertThat(s.record().getHolderToken()).isEqualTo(2);
    assertThat(s.record().getHolderLease()).isEqualTo(a);
    assertThat(s.record().getAcquiredAtMs()).isEqualTo(at);
    assertThat(s.record().getQuarantinedUntilMs()).isZero();
    assertThat(s.claims()).containsExactly(claim);
    assertThat(holder("aim/blue")).isEqualTo(2);
  }

  private static ClaimRecord parseClaim(KeyValue kv) {
    try {
      return ClaimRecord.parseFrom(kv.getValue());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void claimsQueueInFifoOrderAndTheLowestTokenHolds() {
    long ta = h.acquire("L", a).getToken();
    long tb = h.acquire("L", b).getToken();
    long tc = h.acquire("L", c).getToken();
    assertThat(List.of(ta, tb, tc)).containsExactly(2L, 3L, 4L);
    assertThat(holder("L")).isEqualTo(ta);
    assertThat(claimTokens("L")).containsExactly(ta, tb, tc);
    assertThat(h.store().lock("L").claims())
        .extracting(KeyValue::getLease)
        .containsExactly(a, b, c);
  }

  @Test
  void acquiringTwiceWithTheSameLeaseIsIdempotent() {
    long ta = h.acquire("L", a).getToken();
    h.acquire("L", b);
    long rev = h.revision();
    ApplyResult r = h.applyEntry(Cmd.acquire("L", a), Cmd.acquire("L", b));
    assertThat(r.results().get(0).getLockAcquire().getExisted()).isTrue();
    assertThat(r.results().get(0).getLockAcquire().getToken()).isEqualTo(ta);
    assertThat(r.results().get(1).getLockAcquire().getExisted()).isTrue();
    assertThat(h.revision()).isEqualTo(rev);
    assertThat(r.events()).isEmpty();
    assertThat(r.lockChanges()).isEmpty();
    assertThat(claimTokens("L")).hasSize(2);
  }

  @Test
  void acquireWithAnUnknownLeaseIsNotFound() {
    String msg = h.fails(Cmd.acquire("L", 999), ErrorCode.NOT_FOUND);
    assertThat(msg).isEqualTo("lease 999 not found (expired or revoked): cannot queue for lock L");
    assertThat(h.store().lock("L")).isNull();
  }

  @Test
  void revokingTheHoldersLeasePassesTheLockToTheNextWaiter() {
    h.put("a-owned", "x", a);
    long ta = h.acquire("L", a).getToken();
    long tb = h.acquire("L", b).getToken();
    h.acquire("L", c);
    long before = h.revision();
    long at = h.now();
    ApplyResult r = h.applyEntry(Cmd.revoke(a));
    assertThat(r.results().get(0).getLeaseRevoke().getDeletedKeys()).isEqualTo(2);
    assertThat(r.events()).hasSize(1);
    assertThat(r.lockChanges()).containsExactly(new LockChange("L", tb, b));
    assertThat(tb).isGreaterThan(ta);
    assertThat(holder("L")).isEqualTo(tb);
    LockRecord rec = h.store().lock("L").record();
    assertThat(rec.getHolderLease()).isEqualTo(b);
    assertThat(rec.getAcquiredAtMs()).isEqualTo(at);
    assertThat(claimTokens("L")).hasSize(2).first().isEqualTo(tb);
    // the claim and the other key went in one revision, and the new holder holds from it on
    assertThat(h.revision()).isEqualTo(before + 1);
    assertThat(r.events().get(0).events()).hasSize(2);
  }

  @Test
  void revokingAWaitersLeaseRemovesOnlyItsClaim() {
    long ta = h.acquire("L", a).getToken();
    h.acquire("L", b);
    long tc = h.acquire("L", c).getToken();
    ApplyResult r = h.applyEntry(Cmd.revoke(b));
    assertThat(r.lockChanges()).isEmpty();
    assertThat(holder("L")).isEqualTo(ta);
    assertThat(claimTokens("L")).containsExactly(ta, tc);
  }

  @Test
  void releaseByTokenIsIdempotentAndCanReleaseAWaiter() {
    long ta = h.acquire("L", a).getToken();
    long tb = h.acquire("L", b).getToken();
    long tc = h.acquire("L", c).getToken();

    // releasing a waiter: the holder stays
    ApplyResult r = h.applyEntry(Cmd.release("L", tb));
    assertThat(r.results().get(0).getLockRelease().getReleased()).isTrue();
    assertThat(r.lockChanges()).isEmpty();
    assertThat(claimTokens("L")).containsExactly(ta, tc);
    assertThat(holder("L")).isEqualTo(ta);

    // releasing the holder: the next waiter holds
    long rev = h.revision();
    r = h.applyEntry(Cmd.release("L", ta));
    assertThat(r.results().get(0).getLockRelease().getReleased()).isTrue();
    assertThat(r.results().get(0).getLockRelease().getHeader().getRevision()).isEqualTo(rev + 1);
    assertThat(r.lockChanges()).containsExactly(new LockChange("L", tc, c));
    assertThat(holder("L")).isEqualTo(tc);

    // again: nothing to release, no revision
    rev = h.revision();
    r = h.applyEntry(Cmd.release("L", ta));
    assertThat(r.results().get(0).getLockRelease().getReleased()).isFalse();
    assertThat(h.revision()).isEqualTo(rev);
    assertThat(holder("L")).isEqualTo(tc);

    // the lease is still alive and can queue again, with a new, greater token
    long ta2 = h.acquire("L", a).getToken();
    assertThat(ta2).isGreaterThan(tc);
    assertThat(claimTokens("L")).containsExactly(tc, ta2);

    // releasing everything removes the lock
    assertThat(h.release("L", tc)).isTrue();
    assertThat(h.release("L", ta2)).isTrue();
    assertThat(h.store().lock("L")).isNull();
    assertThat(holder("L")).isZero();
    assertThat(h.rows(Table.LOCKS)).isZero();
  }

  @Test
  void releaseWithATokenOfAnotherLockReleasesNothing() {
    long ta = h.acquire("L", a).getToken();
    long tm = h.acquire("M", b).getToken();
    assertThat(h.release("L", tm)).isFalse();
    assertThat(h.release("M", ta)).isFalse();
    assertThat(holder("L")).isEqualTo(ta);
    assertThat(holder("M")).isEqualTo(tm);
  }

  @Test
  void tokensStrictlyIncreaseFromHolderToHolder() {
    List<Long> holders = new ArrayList<>();
    long[] leases = {a, b, c};
    for (long l : leases) {
      h.acquire("L", l);
    }
    holders.add(holder("L"));
    for (int i = 0; i < 9; i++) {
      long cur = holder("L");
      long curLease = h.store().lock("L").record().getHolderLease();
      switch (i % 3) {
        case 0 -> h.release("L", cur);
        case 1 -> h.revoke(curLease);
        default -> h.ok(Cmd.forceRelease(force("L").setExpectedToken(cur)));
      }
      // re-queue with a fresh lease so the queue never runs dry
      h.acquire("L", h.grant());
      holders.add(holder("L"));
    }
    assertThat(holders).doesNotContain(0L).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void locksWithNestedNamesAreIndependent() {
    long t1 = h.acquire("a", a).getToken();
    long t2 = h.acquire("a/b", b).getToken();
    long t3 = h.acquire("a/0000000000000001", c).getToken();
    assertThat(holder("a")).isEqualTo(t1);
    assertThat(holder("a/b")).isEqualTo(t2);
    assertThat(holder("a/0000000000000001")).isEqualTo(t3);
    assertThat(claimTokens("a")).containsExactly(t1);
    assertThat(h.store().locks("a"))
        .extracting(l -> l.record().getName())
        .containsExactly("a", "a/0000000000000001", "a/b");
    assertThat(h.store().locks("")).hasSize(3);
    h.revoke(a);
    assertThat(holder("a")).isZero();
    assertThat(holder("a/b")).isEqualTo(t2);
  }

  @Test
  void clientDeletesDoNotTouchClaims() {
    long ta = h.acquire("L", a).getToken();
    var d = h.deleteRange(ByteString.EMPTY, KeyRanges.ALL_FROM_KEY);
    assertThat(d.getDeleted()).isEqualTo(1); // only "unrelated"
    assertThat(holder("L")).isEqualTo(ta);
    assertThat(h.all().getKvsList())
        .extracting(kv -> kv.getKey().toStringUtf8())
        .allMatch(k -> k.startsWith("/_aimstore/locks/"));
  }

  // ---- fencing -------------------------------------------------------------------------------

  /** A fenced write of key "f" (put, delete, or txn) guarded by (lock, token). */
  record Fenced(String name, BiFunction<String, Long, Command> command) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Fence fence(String lock, long token) {
    return Fence.newBuilder().setLock(lock).setToken(token).build();
  }

  static Stream<Fenced> fencedWrites() {
    return Stream.of(
        new Fenced("put", (lock, t) -> Cmd.fencedPut("f", "new", lock, t)),
        new Fenced(
            "delete",
            (lock, t) ->
                Cmd.delete(
                    DeleteRangeRequest.newBuilder().setKey(bs("f")).setFence(fence(lock, t)))),
        new Fenced(
            "txn",
            (lock, t) ->
                Cmd.txn(
                    TxnRequest.newBuilder()
                        .setFence(fence(lock, t))
                        .addCompare(
                            Ops.value("f", io.aimstore.api.v1.Compare.CompareResult.EQUAL, "old"))
                        .addSuccess(Ops.put("f", "new"))
                        .addSuccess(Ops.put("g", "new")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fencedWrites")
  void fencedWritesWithTheHoldersTokenSucceed(Fenced f) {
    long ta = h.acquire("L", a).getToken();
    h.acquire("L", b);
    h.put("f", "old");
    long rev = h.revision();
    var r = h.ok(f.command().apply("L", ta));
    assertThat(r.getRevision()).isEqualTo(rev + 1);
    KeyValue kv = h.get("f");
    if (f.name().equals("delete")) {
      assertThat(kv).isNull();
    } else {
      assertThat(kv.getValue()).isEqualTo(bs("new"));
      assertThat(kv.getFenceToken()).isEqualTo(ta);
    }
    if (f.name().equals("txn")) {
      assertThat(r.getTxn().getSucceeded()).isTrue();
      assertThat(h.get("g").getFenceToken()).isEqualTo(ta);
    }
    // an unfenced write clears the fence token again
    h.put("f", "plain");
    assertThat(h.get("f").getFenceToken()).isZero();
  }

  static Stream<Arguments> staleFences() {
    List<Arguments> out = new ArrayList<>();
    for (Fenced f : fencedWrites().toList()) {
      out.add(Arguments.of(f, "previous holder"));
      out.add(Arguments.of(f, "waiter"));
      out.add(Arguments.of(f, "unknown lock"));
      out.add(Arguments.of(f, "made-up token"));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} with the token of a {1}")
  @MethodSource("staleFences")
  void fencedWritesWithAStaleTokenFailAndWriteNothing(Fenced f, String which) {
    long ta = h.acquire("L", a).getToken();
    long tb = h.acquire("L", b).getToken();
    long tc = h.acquire("L", c).getToken();
    h.put("f", "old");
    h.revoke(a); // b holds now
    assertThat(holder("L")).isEqualTo(tb);
    String lock = which.equals("unknown lock") ? "nope" : "L";
    long token =
        switch (which) {
          case "previous holder" -> ta;
          case "waiter" -> tc;
          case "unknown lock" -> tb;
          default -> 12345;
        };
    long kvRows = h.rows(Table.KV);
    String msg = h.fails(f.command().apply(lock, token), ErrorCode.FAILED_PRECONDITION);
    String current = lock.equals("L") ? Long.toString(tb) : "none";
    assertThat(msg)
        .isEqualTo(
            "stale fencing token "
                + token
                + " for lock "
                + lock
                + " (current holder: "
                + current
                + ")");
    assertThat(h.rows(Table.KV)).isEqualTo(kvRows);
    assertThat(h.get("f").getValue()).isEqualTo(bs("old"));
    assertThat(h.get("g")).isNull();
  }

  @Test
  void aFenceIsCheckedAgainstTheHolderAfterEarlierCommandsOfTheSameEntry() {
    long ta = h.acquire("L", a).getToken();
    long tb = h.acquire("L", b).getToken();
    ApplyResult r =
        h.applyEntry(
            Cmd.fencedPut("f", "1", "L", ta),
            Cmd.release("L", ta),
            Cmd.fencedPut("f", "2", "L", ta),
            Cmd.fencedPut("f", "3", "L", tb));
    assertThat(r.results().get(0).hasError()).isFalse();
    assertThat(r.results().get(2).getError().getCode()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(r.results().get(3).hasError()).isFalse();
    assertThat(h.get("f").getValue()).isEqualTo(bs("3"));
    assertThat(h.get("f").getFenceToken()).isEqualTo(tb);
    assertThat(h.get("f").getVersion()).isEqualTo(2);
  }

  // ---- force-release -------------------------------------------------------------------------

  @Test
  void forceReleaseDeletesOnlyTheHoldersClaimAndWritesAnAuditRecord() throws Exception {
    h.put("a-owned", "x", a);
    long ta = h.acquire("L", a).getToken();
    long tb = h.acquire("L", b).getToken();
    long at = h.now();
    ApplyResult r = h.applyEntry(Cmd.forceRelease(force("L")));
    long rev = h.revision();
    ForceReleaseResponse fr = r.results().get(0).getLockForceRelease();

    AuditRecord expected =
        AuditRecord.newBuilder()
            .setRevision(rev)
            .setAtMs(at)
            .setAction("force-release")
            .setOperator(Cmd.OPERATOR)
            .setReason("drone stuck")
            .setLock("L")
            .setToken(ta)
            .setLease(a)
            .setHolder(OWNER)
            .build();
    assertThat(fr.getAudit()).isEqualTo(expected);
    assertThat(fr.getHeader().getRevision()).isEqualTo(rev);
    assertThat(r.events()).hasSize(1);
    assertThat(r.lockChanges()).containsExactly(new LockChange("L", tb, b));

    // the next waiter holds with a greater token
    assertThat(holder("L")).isEqualTo(tb).isGreaterThan(ta);
    assertThat(claimTokens("L")).containsExactly(tb);
    // only the claim went: the old holder's lease and its other keys live on
    assertThat(h.store().lease(a)).isNotNull();
    assertThat(h.get("a-owned")).isNotNull();

    // the audit record, in the audit log
    assertThat(h.store().audit(0, 10)).containsExactly(expected);

    // the old holder's token is now stale
    assertThat(h.fails(Cmd.fencedPut("f", "late", "L", ta), ErrorCode.FAILED_PRECONDITION))
        .contains("stale fencing token " + ta);
  }

  @Test
  void forceReleaseWithExpectedToken() {
    long ta = h.acquire("L", a).getToken();
    h.acquire("L", b);
    String msg =
        h.fails(
            Cmd.forceRelease(force("L").setExpectedToken(ta + 100)), ErrorCode.FAILED_PRECONDITION);
    assertThat(msg).isEqualTo("lock L is held by token " + ta + ", not " + (ta + 100));
    assertThat(holder("L")).isEqualTo(ta);
    h.ok(Cmd.forceRelease(force("L").setExpectedToken(ta)));
    assertThat(holder("L")).isGreaterThan(ta);
  }

  @Test
  void forceReleaseOfAFreeLockFails() {
    String msg = h.fails(Cmd.forceRelease(force("free")), ErrorCode.FAILED_PRECONDITION);
    assertThat(msg).isEqualTo("lock free is not held");
  }

  @Test
  void forceReleaseOfTheOnlyClaimFreesTheLock() {
    long ta = h.acquire("L", a).getToken();
    ApplyResult r = h.applyEntry(Cmd.forceRelease(force("L")));
    assertThat(r.lockChanges()).containsExactly(new LockChange("L", 0, 0));
    assertThat(h.store().lock("L")).isNull();
    long next = h.acquire("L", a).getToken();
    assertThat(next).isGreaterThan(ta);
    assertThat(holder("L")).isEqualTo(next);
  }

  @Test
  void quarantineKeepsEveryoneOutUntilItsLeaseIsRevoked() {
    long ta = h.acquire("L", a).getToken();
    long tb = h.acquire("L", b).getToken();
    long at = h.now();
    ApplyResult r = h.applyEntry(Cmd.forceRelease(force("L").setQuarantineMs(4_500)));
    ForceReleaseResponse fr = r.results().get(0).getLockForceRelease();
    assertThat(fr.getAudit().getQuarantinedUntilMs()).isEqualTo(at + 4_500);
    assertThat(r.lockChanges()).containsExactly(new LockChange("L", 0, 0));

    // nobody holds; the waiter is still queued
    assertThat(holder("L")).isZero();
    Store.LockState s = h.store().lock("L");
    assertThat(s.record().getQuarantinedUntilMs()).isEqualTo(at + 4_500);
    assertThat(s.record().getHolderToken()).isZero();
    assertThat(claimTokens("L")).containsExactly(tb);

    // a quarantine lease of its own, holding the marker key
    long q = s.record().getQuarantineLease();
    assertThat(q).isNotIn(0L, a, b, c);
    LeaseRecord ql = h.store().lease(q);
    assertThat(ql.getQuarantineOf()).isEqualTo("L");
    assertThat(ql.getTtlSeconds()).isEqualTo(5);
    assertThat(ql.getOwner().getLabelsMap())
        .containsEntry("lock", "L")
        .containsEntry("operator", Cmd.OPERATOR);
    assertThat(r.leaseChanges())
        .containsExactly(new LeaseChange.Granted(q, 5, Access.QUARANTINE_IDENTITY_PREFIX + "L"));
    assertThat(h.store().leaseKeys(q, 10)).containsExactly(bs("/_aimstore/quarantine/L"));

    // the waiter's token does not fence while quarantined, and the message says why
    String msg = h.fails(Cmd.fencedPut("f", "x", "L", tb), ErrorCode.FAILED_PRECONDITION);
    assertThat(msg)
        .startsWith(
            "stale fencing token " + tb + " for lock L (current holder: none, quarantined until ");
    // nor the old holder's
    h.fails(Cmd.fencedPut("f", "x", "L", ta), ErrorCode.FAILED_PRECONDITION);
    // a quarantined lock cannot be force-released again
    assertThat(h.fails(Cmd.forceRelease(force("L")), ErrorCode.FAILED_PRECONDITION))
        .isEqualTo("lock L is not held (it is quarantined)");
    // new claims queue but do not hold
    long td = h.acquire("L", c).getToken();
    assertThat(holder("L")).isZero();
    assertThat(claimTokens("L")).containsExactly(tb, td);
    // the quarantine lease cannot queue for locks
    assertThat(h.fails(Cmd.acquire("L", q), ErrorCode.INVALID_ARGUMENT))
        .contains("quarantine lease");

    // the quarantine ends when its lease goes: the first waiter holds, with a greater token
    r = h.applyEntry(Cmd.revoke(q));
    assertThat(r.lockChanges()).containsExactly(new LockChange("L", tb, b));
    assertThat(holder("L")).isEqualTo(tb).isGreaterThan(ta);
    assertThat(h.store().lock("L").record().getQuarantinedUntilMs()).isZero();
    assertThat(h.store().lock("L").record().getQuarantineLease()).isZero();
    assertThat(h.get("/_aimstore/quarantine/L")).isNull();
    h.ok(Cmd.fencedPut("f", "x", "L", tb));
  }

  @Test
  void quarantineOfALockWithoutWaitersEndsWithTheLockGone() {
    h.acquire("L", a);
    h.ok(Cmd.forceRelease(force("L").setQuarantineMs(1)));
    Store.LockState s = h.store().lock("L");
    assertThat(s).isNotNull();
    assertThat(s.claims()).isEmpty();
    long q = s.record().getQuarantineLease();
    assertThat(h.store().lease(q).getTtlSeconds()).isEqualTo(1);
    h.revoke(q);
    assertThat(h.store().lock("L")).isNull();
    assertThat(h.rows(Table.LOCKS)).isZero();
  }

  @Test
  void forceReleasesAreAuditedInRevisionOrder() {
    List<Long> revs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      h.acquire("L", h.grant());
      h.ok(Cmd.forceRelease(force("L").setReason("r" + i)));
      revs.add(h.revision());
    }
    List<AuditRecord> audits = h.store().audit(0, 10);
    assertThat(audits).extracting(AuditRecord::getRevision).containsExactlyElementsOf(revs);
    assertThat(audits.get(2).getReason()).isEqualTo("r2");
  }

  @Test
  void locksSurviveAReopen() {
    long ta = h.acquire("L", a).getToken();
    long tb = h.acquire("L", b).getToken();
    h.reopen();
    assertThat(holder("L")).isEqualTo(ta);
    assertThat(claimTokens("L")).containsExactly(ta, tb);
    h.revoke(a);
    assertThat(holder("L")).isEqualTo(tb);
  }
}
