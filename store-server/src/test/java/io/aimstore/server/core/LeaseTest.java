package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.OWNER;
import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.LeaseGrantResponse;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.LeaseCheckpoint;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.RevokeReason;
import io.aimstore.server.core.CoreHarness.Cmd;
import io.aimstore.server.core.CoreHarness.Ops;
import io.aimstore.server.storage.Table;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Leases: grant, attach, revoke, checkpoint. */
class LeaseTest extends CoreTest {
  @Test
  void grantWithAnExplicitIdRecordsTheOwnerAndGrantTime() {
    h.setNow(1_800_000_000_000L);
    ApplyResult r = h.applyEntry(Cmd.grant(77, 30));
    LeaseGrantResponse g = r.results().get(0).getLeaseGrant();
    assertThat(g.getId()).isEqualTo(77);
    assertThat(g.getTtl()).isEqualTo(30);
    assertThat(g.getHeader().getRevision()).isZero();
    assertThat(r.leaseChanges()).containsExactly(new LeaseChange.Granted(77, 30, ""));
    LeaseRecord l = h.store().lease(77);
    assertThat(l.getId()).isEqualTo(77);
    assertThat(l.getTtlSeconds()).isEqualTo(30);
    assertThat(l.getOwner()).isEqualTo(OWNER);
    assertThat(l.getGrantedAtMs()).isEqualTo(1_800_000_000_000L);
    assertThat(l.getCheckpointRemainingMs()).isZero();
    assertThat(l.getQuarantineOf()).isEmpty();
  }

  @Test
  void autoIdsAreSequentialAndSkipTakenIds() {
    assertThat(h.grant(0, 10)).isEqualTo(1);
    h.grant(2, 10);
    h.grant(3, 10);
    assertThat(h.grant(0, 10)).isEqualTo(4);
    assertThat(h.grant(0, 10)).isEqualTo(5);
    h.revoke(5);
    // auto ids are not reused after a revoke
    assertThat(h.grant(0, 10)).isEqualTo(6);
    assertThat(h.store().leases(0, 100))
        .extracting(LeaseRecord::getId)
        .containsExactly(1L, 2L, 3L, 4L, 6L);
    assertThat(h.store().leases(3, 1)).extracting(LeaseRecord::getId).containsExactly(4L);
  }

  @Test
  void autoIdsInOneEntryAreDistinct() {
    ApplyResult r =
        h.applyEntry(Cmd.grant(0, 10), Cmd.grant(0, 10), Cmd.grant(2, 10), Cmd.grant(0, 10));
    assertThat(r.results().get(0).getLeaseGrant().getId()).isEqualTo(1);
    assertThat(r.results().get(1).getLeaseGrant().getId()).isEqualTo(2);
    // the third asked for 2, which the second took a moment ago in the same entry
    assertThat(r.results().get(2).getError().getCode()).isEqualTo(ErrorCode.ALREADY_EXISTS);
    assertThat(r.results().get(3).getLeaseGrant().getId()).isEqualTo(3);
    assertThat(r.leaseChanges())
        .containsExactly(
            new LeaseChange.Granted(1, 10, ""),
            new LeaseChange.Granted(2, 10, ""),
            new LeaseChange.Granted(3, 10, ""));
  }

  @Test
  void grantingAnExistingIdIsAlreadyExists() {
    h.grant(9, 10);
    String msg = h.fails(Cmd.grant(9, 20), ErrorCode.ALREADY_EXISTS);
    assertThat(msg).isEqualTo("lease 9 already exists");
    assertThat(h.store().lease(9).getTtlSeconds()).isEqualTo(10);
  }

  static Stream<Arguments> badGrants() {
    return Stream.of(
        Arguments.of("ttl 0", 0L, OWNER, "lease TTL must be between 2 and 2592000 seconds, got 0"),
        Arguments.of("ttl 1", 1L, OWNER, "lease TTL must be between 2 and 2592000 seconds, got 1"),
        Arguments.of(
            "ttl over 30 days",
            2_592_001L,
            OWNER,
            "lease TTL must be between 2 and 2592000 seconds, got 2592001"),
        Arguments.of("negative ttl", -5L, OWNER, "got -5"),
        Arguments.of("no owner", 10L, null, "owner.name, owner.host and owner.pid (> 0)"),
        Arguments.of(
            "owner without host", 10L, OWNER.toBuilder().clearHost().build(), "owner.host"),
        Arguments.of(
            "owner without name", 10L, OWNER.toBuilder().setName("  ").build(), "owner.name"),
        Arguments.of("owner without pid", 10L, OWNER.toBuilder().setPid(0).build(), "owner.pid"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badGrants")
  void invalidGrantsAreRejected(String name, long ttl, Owner owner, String message) {
    String msg = h.fails(Cmd.grant(0, ttl, owner), ErrorCode.INVALID_ARGUMENT);
    assertThat(msg).contains(message);
    assertThat(h.store().leases(0, 10)).isEmpty();
    // a failed auto-id grant does not use up an id
    assertThat(h.grant(0, 10)).isEqualTo(1);
  }

  @Test
  void ttlBoundsAreInclusive() {
    assertThat(h.grant(0, 2)).isEqualTo(1);
    assertThat(h.grant(0, 2_592_000)).isEqualTo(2);
  }

  @Test
  void putWithAnUnknownLeaseIsNotFoundAndWritesNothing() {
    h.put("k", "v0");
    String msg = h.fails(Cmd.put("k", "v1", 404), ErrorCode.NOT_FOUND);
    assertThat(msg).isEqualTo("lease 404 not found (expired or revoked); grant a new one");
    assertThat(h.get("k").getValue()).isEqualTo(bs("v0"));
    assertThat(h.get("k").getVersion()).isEqualTo(1);
    assertThat(h.rows(Table.LEASE_KEYS)).isZero();
  }

  @Test
  void attachedKeysCarryTheLeaseAndAreListed() {
    long l = h.grant();
    h.put("b", "1", l);
    h.put("a", "1", l);
    h.put("c", "1");
    assertThat(h.get("a").getLease()).isEqualTo(l);
    assertThat(h.get("c").getLease()).isZero();
    assertThat(h.store().leaseKeys(l, 10)).containsExactly(bs("a"), bs("b"));
    assertThat(h.store().leaseKeys(l, 1)).containsExactly(bs("a"));
    assertThat(h.store().leaseKeyCount(l)).isEqualTo(2);
  }

  @Test
  void revokeDeletesEveryAttachedKeyInOneRevision() {
    long l = h.grant();
    long other = h.grant();
    h.put("a", "1", l);
    h.put("b", "1", l);
    h.put("c", "1", other);
    h.put("d", "1");
    h.put("e", "1", l);
    var before = h.get("a");
    ApplyResult r = h.applyEntry(Cmd.revoke(l));
    CommandResult c = r.results().get(0);
    assertThat(c.getLeaseRevoke().getDeletedKeys()).isEqualTo(3);
    assertThat(c.getLeaseRevoke().getHeader().getRevision()).isEqualTo(6);
    assertThat(h.revision()).isEqualTo(6);
    assertThat(r.events()).hasSize(1);
    assertThat(r.events().get(0).revision()).isEqualTo(6);
    assertThat(r.events().get(0).events())
        .extracting(e -> e.getType() + " " + e.getKv().getKey().toStringUtf8())
        .containsExactly("DELETE a", "DELETE b", "DELETE e");
    assertThat(r.events().get(0).events().get(0).getPrevKv()).isEqualTo(before);
    assertThat(r.leaseChanges()).containsExactly(new LeaseChange.Revoked(l, RevokeReason.EXPIRED));
    assertThat(h.keys(h.all())).containsExactly("c", "d");
    assertThat(h.store().lease(l)).isNull();
    assertThat(h.store().leaseKeys(l, 10)).isEmpty();
    assertThat(h.store().leaseKeys(other, 10)).containsExactly(bs("c"));
    // at the revision before, they were all there
    assertThat(h.get(bs("e"), 5)).isNotNull();
    // revoking again: not found
    assertThat(h.fails(Cmd.revoke(l), ErrorCode.NOT_FOUND))
        .isEqualTo("lease " + l + " not found (already expired or revoked)");
  }

  @Test
  void revokeOfALeaseWithoutKeysDoesNotBumpTheRevision() {
    h.put("x", "1");
    long l = h.grant();
    CommandResult c = h.ok(Cmd.revoke(l));
    assertThat(c.getLeaseRevoke().getDeletedKeys()).isZero();
    assertThat(c.getLeaseRevoke().getHeader().getRevision()).isEqualTo(1);
    assertThat(h.revision()).isEqualTo(1);
    assertThat(h.store().lease(l)).isNull();
  }

  @Test
  void rePuttingAKeyWithAnotherLeaseMovesTheAttachment() {
    long l1 = h.grant();
    long l2 = h.grant();
    h.put("k", "v", l1);
    h.put("k", "v", l2);
    assertThat(h.get("k").getLease()).isEqualTo(l2);
    assertThat(h.store().leaseKeys(l1, 10)).isEmpty();
    assertThat(h.store().leaseKeys(l2, 10)).containsExactly(bs("k"));
    // revoking the old lease leaves the key alone
    assertThat(h.revoke(l1)).isZero();
    assertThat(h.get("k")).isNotNull();
    // detaching (lease 0) and revoking the new one: key survives
    h.put("k", "v", 0);
    assertThat(h.store().leaseKeys(l2, 10)).isEmpty();
    assertThat(h.revoke(l2)).isZero();
    assertThat(h.get("k").getLease()).isZero();
  }

  @Test
  void deletingAKeyDetachesItFromItsLease() {
    long l = h.grant();
    h.put("k", "v", l);
    h.delete("k");
    assertThat(h.store().leaseKeys(l, 10)).isEmpty();
    h.put("k", "v2");
    assertThat(h.revoke(l)).isZero();
    assertThat(h.get("k").getValue()).isEqualTo(bs("v2"));
  }

  @Test
  void aTxnCanAttachKeysAndTheyAreRevokedTogether() {
    long l = h.grant();
    h.txn(
        TxnRequest.newBuilder()
            .addSuccess(Ops.put(PutRequest.newBuilder().setKey(bs("t1")).setLease(l)))
            .addSuccess(Ops.put(PutRequest.newBuilder().setKey(bs("t2")).setLease(l))));
    assertThat(h.store().leaseKeyCount(l)).isEqualTo(2);
    assertThat(h.revoke(l)).isEqualTo(2);
    assertThat(h.all().getKvsList()).isEmpty();
  }

  @Test
  void grantAndRevokeInOneEntryWithKeysInBetween() {
    ApplyResult r =
        h.applyEntry(
            Cmd.grant(10, 10),
            Cmd.put("a", "1", 10),
            Cmd.put("b", "1", 10),
            Cmd.revoke(10),
            Cmd.put("c", "1", 10));
    assertThat(r.results())
        .extracting(CommandResult::getRevision)
        .containsExactly(0L, 1L, 2L, 3L, 3L);
    assertThat(r.results().get(3).getLeaseRevoke().getDeletedKeys()).isEqualTo(2);
    assertThat(r.results().get(4).getError().getCode()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(r.leaseChanges())
        .containsExactly(
            new LeaseChange.Granted(10, 10, ""), new LeaseChange.Revoked(10, RevokeReason.EXPIRED));
    assertThat(h.all().getKvsList()).isEmpty();
  }

  @Test
  void checkpointRecordsRemainingTtlAndZeroClearsIt() {
    long l1 = h.grant(0, 30);
    long l2 = h.grant(0, 30);
    ApplyResult r =
        h.applyEntry(
            Command.newBuilder()
                .setLeaseCheckpoint(
                    LeaseCheckpoint.newBuilder()
                        .addEntries(entry(l1, 12_345))
                        .addEntries(entry(l2, 999))
                        .addEntries(entry(4040, 1)))
                .build());
    assertThat(r.results().get(0).hasError()).isFalse();
    assertThat(h.store().lease(l1).getCheckpointRemainingMs()).isEqualTo(12_345);
    assertThat(h.store().lease(l2).getCheckpointRemainingMs()).isEqualTo(999);
    assertThat(h.store().lease(4040)).as("unknown leases are skipped").isNull();
    assertThat(r.leaseChanges())
        .containsExactly(
            new LeaseChange.Checkpointed(l1, 12_345), new LeaseChange.Checkpointed(l2, 999));
    assertThat(h.revision()).isZero();

    h.ok(Cmd.checkpoint(l1, 0));
    assertThat(h.store().lease(l1).getCheckpointRemainingMs()).isZero();
    assertThat(h.store().lease(l1).getTtlSeconds()).isEqualTo(30);
    assertThat(h.store().lease(l1).getOwner()).isEqualTo(OWNER);
  }

  private static LeaseCheckpoint.Entry entry(long id, long remainingMs) {
    return LeaseCheckpoint.Entry.newBuilder().setId(id).setRemainingMs(remainingMs).build();
  }

  @Test
  void leasesSurviveAReopen() {
    long l = h.grant(0, 42);
    h.put("k", "v", l);
    h.ok(Cmd.checkpoint(l, 7000));
    h.reopen();
    assertThat(h.store().lease(l).getTtlSeconds()).isEqualTo(42);
    assertThat(h.store().lease(l).getCheckpointRemainingMs()).isEqualTo(7000);
    assertThat(h.store().leaseKeys(l, 10)).containsExactly(bs("k"));
    // the auto id counter survives too
    assertThat(h.grant()).isEqualTo(l + 1);
    assertThat(h.revoke(l)).isEqualTo(1);
  }

  @Test
  void revokeEventsCarryTheDeletedKeysLeaseInPrevKv() {
    long l = h.grant();
    h.put("k", "v", l);
    ApplyResult r = h.applyEntry(Cmd.revoke(l));
    Event e = r.events().get(0).events().get(0);
    assertThat(e.getType()).isEqualTo(Event.EventType.DELETE);
    assertThat(e.getPrevKv().getLease()).isEqualTo(l);
  }
}
