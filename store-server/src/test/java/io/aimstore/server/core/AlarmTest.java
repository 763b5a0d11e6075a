package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.AlarmChange;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.ErrorReason;
import io.aimstore.internal.LogEntry;
import io.aimstore.internal.MemberChange;
import io.aimstore.server.core.CoreHarness.Cmd;
import io.aimstore.server.core.CoreHarness.Ops;
import io.aimstore.server.storage.RocksBackend;
import io.aimstore.server.storage.StorageOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The replicated alarm table and what a NOSPACE alarm refuses, deterministically, in apply. */
class AlarmTest {
  static final long QUOTA = 2L << 30;

  @TempDir Path dir;

  static Command raise(AlarmType type, String member) {
    return change(
        AlarmChange.Action.RAISE,
        Alarm.newBuilder()
            .setAlarm(type)
            .setMember(member)
            .setDetail("store 2.1 GiB over the quota of 2.0 GiB")
            .setSizeBytes(QUOTA + (100L << 20))
            .setQuotaBytes(QUOTA)
            // a proposer's time is ignored: the entry's leader time counts
            .setRaisedAtMs(42)
            .build(),
        "");
  }

  static Command clear(AlarmType type, String member) {
    return change(
        AlarmChange.Action.CLEAR,
        Alarm.newBuilder().setAlarm(type).setMember(member).setDetail("back under").build(),
        "");
  }

  static Command disarm(AlarmType type, String member, String reason) {
    return change(
            AlarmChange.Action.DISARM,
            Alarm.newBuilder().setAlarm(type).setMember(member).build(),
            reason)
        .toBuilder()
        .setCaller(AuthorizationTest.OP)
        .build();
  }

  private static Command change(AlarmChange.Action action, Alarm alarm, String reason) {
    return Command.newBuilder()
        .setAlarmChange(
            AlarmChange.newBuilder().setAction(action).setAlarm(alarm).setReason(reason))
        .build();
  }

  @Test
  void aRaisedAlarmCarriesTheLeadersTimeAndIsAuditedOnce() {
    try (CoreHarness h = CoreHarness.open(dir)) {
      long at = h.now();
      CommandResult r = h.ok(raise(AlarmType.NOSPACE, "n2"));
      Alarm a = r.getAlarmChange().getChanged(0);
      assertThat(a.getRaisedAtMs()).isEqualTo(at);
      assertThat(a.getQuotaBytes()).isEqualTo(QUOTA);
      assertThat(r.getAlarmChange().getAudit().getAction()).isEqualTo("alarm-raise");
      assertThat(r.getAlarmChange().getAudit().getSubject())
          .isEqualTo("alarm NOSPACE on member n2");
      assertThat(h.store().alarms().list()).containsExactly(a);
      long rev = h.revision();
      assertThat(r.getRevision()).as("alarms live outside the keyspace").isEqualTo(rev);

      // raising it again (another member's check, a retry) changes nothing
      CommandResult again = h.ok(raise(AlarmType.NOSPACE, "n2"));
      assertThat(again.getAlarmChange().getChangedList()).isEmpty();
      assertThat(h.store().alarms().list()).containsExactly(a);
      assertThat(audit(h, "alarm-raise")).hasSize(1);

      h.ok(raise(AlarmType.CORRUPT, "n1"));
      assertThat(h.store().alarms().list())
          .extracting(x -> x.getAlarm() + "@" + x.getMember())
          .containsExactly("NOSPACE@n2", "CORRUPT@n1");

      CommandResult cleared = h.ok(clear(AlarmType.NOSPACE, "n2"));
      assertThat(cleared.getAlarmChange().getChangedList()).containsExactly(a);
      assertThat(h.store().alarms().isActive(AlarmType.NOSPACE)).isFalse();
      assertThat(h.store().alarms().isActive(AlarmType.CORRUPT, "n1")).isTrue();
      assertThat(h.ok(clear(AlarmType.NOSPACE, "n2")).getAlarmChange().getChangedList()).isEmpty();
      assertThat(audit(h, "alarm-clear")).hasSize(1);
    }
  }

  @Test
  void alarmsSurviveARestartAndTravelInACheckpoint() throws Exception {
    try (CoreHarness h = CoreHarness.open(dir.resolve("a"))) {
      h.ok(raise(AlarmType.NOSPACE, "n3"));
      h.reopen();
      assertThat(h.store().alarms().isActive(AlarmType.NOSPACE, "n3")).isTrue();
      h.backend().checkpoint(dir.resolve("cp"));
    }
    try (RocksBackend b = RocksBackend.open(dir.resolve("cp"), StorageOptions.DEFAULT)) {
      Store s = new Store(b, Limits.DEFAULT);
      assertThat(s.alarms().isActive(AlarmType.NOSPACE, "n3")).isTrue();
    }
  }

  @Test
  void aStoreRestoredForANewClusterForgetsTheOldClustersAlarms() {
    long rev;
    try (CoreHarness h = CoreHarness.open(dir)) {
      h.put("k", "v");
      h.ok(raise(AlarmType.NOSPACE, "n1"));
      rev = h.revision();
    }
    try (RocksBackend b = RocksBackend.open(dir, StorageOptions.DEFAULT)) {
      Store.detachFromLog(b, 1, 1);
      Store s = new Store(b, Limits.DEFAULT);
      assertThat(s.alarms().list()).isEmpty();
      assertThat(s.revision()).isEqualTo(rev);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A command and whether NOSPACE refuses it. */
  static Stream<Arguments> refusalMatrix() {
    List<Arguments> out = new ArrayList<>();
    // refused: what can grow the store
    out.add(refused("put", h -> Cmd.put("k", "v2")));
    out.add(
        refused(
            "txn with a put",
            h -> Cmd.txn(TxnRequest.newBuilder().addSuccess(Ops.put("k", "v2")))));
    out.add(
        refused(
            "txn with a put only in its failure branch",
            h -> Cmd.txn(TxnRequest.newBuilder().addFailure(Ops.put("k", "v2")))));
    out.add(refused("lease grant", h -> Cmd.grant(0, 30)));
    out.add(refused("lock acquire", h -> Cmd.acquire("l", h.grantBefore)));
    out.add(
        refused(
            "aim config put",
            h ->
                Command.newBuilder()
                    .setConfigPut(ConfigPutRequest.newBuilder().setFleet("f1").setName("c"))
                    .build()));
    // allowed: reads, what frees space, what keeps sessions alive
    out.add(allowed("delete", h -> Cmd.delete("k")));
    out.add(allowed("compact", h -> Cmd.compact(h.revisionBefore)));
    out.add(
        allowed(
            "txn that only reads", h -> Cmd.txn(TxnRequest.newBuilder().addSuccess(Ops.get("k")))));
    out.add(
        allowed(
            "txn that only deletes",
            h -> Cmd.txn(TxnRequest.newBuilder().addSuccess(Ops.delete("k")))));
    out.add(allowed("lease revoke", h -> Cmd.revoke(h.grantBefore)));
    out.add(
        allowed(
            "lease checkpoint (a keep-alive after a checkpoint)",
            h -> Cmd.checkpoint(h.grantBefore, 0)));
    out.add(allowed("lock release", h -> Cmd.release("held", h.tokenBefore)));
    out.add(allowed("alarm clear", h -> clear(AlarmType.NOSPACE, "n2")));
    return out.stream();
  }

  /** What a matrix row may use: state made before the alarm. */
  static final class Before {
    long grantBefore;
    long tokenBefore;
    long revisionBefore;
  }

  private static Arguments refused(String name, Function<Before, Command> c) {
    return Arguments.of(name, c, true);
  }

  private static Arguments allowed(String name, Function<Before, Command> c) {
    return Arguments.of(name, c, false);
  }

  @ParameterizedTest(name = "{0}: refused={2}")
  @MethodSource("refusalMatrix")
  void nospaceRefusesWhatCanGrowTheStoreAndNothingElse(
      String name, Function<Before, Command> command, boolean refused) {
    try (CoreHarness h = CoreHarness.open(dir)) {
      Before b = new Before();
      h.put("k", "v1");
      b.grantBefore = h.grant();
      b.tokenBefore = h.acquire("held", b.grantBefore).getToken();
      b.revisionBefore = h.revision();
      h.ok(raise(AlarmType.NOSPACE, "n2"));
      Command c = command.apply(b);
      assertThat(StorageQuota.grows(c)).isEqualTo(refused);
      if (refused) {
        CommandResult r = h.apply(c);
        assertThat(r.getError().getCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(r.getError().getReason()).isEqualTo(ErrorReason.NOSPACE);
        assertThat(r.getError().getMessage())
            .isEqualTo(
                "storage quota of 2.0 GiB exceeded on member n2 (NOSPACE alarm): compact history"
                    + " with 'aimctl compact REV' and delete what is not needed, then the alarm"
                    + " clears when the store is back under the quota; see"
                    + " docs/operations.md#full-disk");
        assertThat(r.getRevision()).isEqualTo(b.revisionBefore);
      } else {
        h.ok(c);
      }
      // reads are never refused
      assertThat(h.store().range(RangeRequest.newBuilder().setKey(bs("held")).build()).getCount())
          .isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void theSameCommandIsAllowedOnceTheAlarmIsClearedAndTheCheckIsAtItsPlaceInTheEntry() {
    try (CoreHarness h = CoreHarness.open(dir)) {
      // in one entry: a put, the raise, a put, the clear, a put
      ApplyResult r =
          h.applyEntry(
              Cmd.put("a", "1"),
              raise(AlarmType.NOSPACE, "n1"),
              Cmd.put("b", "1"),
              clear(AlarmType.NOSPACE, "n1"),
              Cmd.put("c", "1"));
      assertThat(r.results())
          .extracting(x -> x.hasError() ? x.getError().getCode() : ErrorCode.OK)
          .containsExactly(
              ErrorCode.OK, ErrorCode.OK, ErrorCode.RESOURCE_EXHAUSTED, ErrorCode.OK, ErrorCode.OK);
    }
  }

  @Test
  void membersThatApplyTheSameLogRefuseTheSameWritesAndHoldTheSameState() throws Exception {
    List<LogEntry> log;
    List<ApplyResult> results;
    String hash;
    try (CoreHarness a = CoreHarness.open(dir.resolve("a"))) {
      a.put("x", "1");
      a.ok(raise(AlarmType.NOSPACE, "n2"));
      a.apply(Cmd.put("x", "2"));
      a.apply(Cmd.grant(0, 10));
      a.ok(Cmd.delete("x"));
      a.ok(Cmd.compact(a.revision()));
      a.ok(clear(AlarmType.NOSPACE, "n2"));
      a.put("x", "3");
      a.ok(raise(AlarmType.CORRUPT, "n1"));
      log = List.copyOf(a.log());
      results = List.copyOf(a.results());
      hash = a.store().stateHash();
    }
    for (String member : List.of("b", "c")) {
      try (RocksBackend backend = RocksBackend.open(dir.resolve(member), StorageOptions.DEFAULT)) {
        Store s = new Store(backend, Limits.DEFAULT);
        List<ApplyResult> rs = new ArrayList<>();
        long index = 0;
        for (LogEntry e : log) {
          rs.add(s.apply(e, CoreHarness.TERM, ++index));
        }
        assertThat(rs).as(member).isEqualTo(results);
        assertThat(s.stateHash()).as(member).isEqualTo(hash);
        assertThat(s.alarms().list()).extracting(Alarm::getMember).containsExactly("n1");
      }
    }
    assertThat(results.get(2).results().get(0).getError().getReason())
        .isEqualTo(ErrorReason.NOSPACE);
  }

  @Test
  void onlyTheStoreRaisesAndClearsAndOnlyAnAdminDisarmsWithAReason() {
    try (CoreHarness h = CoreHarness.open(dir)) {
      h.fails(
          raise(AlarmType.NOSPACE, "n1").toBuilder().setCaller(AuthorizationTest.OP).build(),
          ErrorCode.PERMISSION_DENIED);
      h.ok(raise(AlarmType.NOSPACE, "n1"));
      h.ok(raise(AlarmType.NOSPACE, "n2"));
      h.ok(raise(AlarmType.CORRUPT, "n2"));
      h.fails(
          clear(AlarmType.NOSPACE, "n1").toBuilder().setCaller(AuthorizationTest.CI).build(),
          ErrorCode.PERMISSION_DENIED);
      h.fails(
          disarm(AlarmType.NOSPACE, "", "x").toBuilder().setCaller(AuthorizationTest.CI).build(),
          ErrorCode.PERMISSION_DENIED);
      assertThat(h.fails(disarm(AlarmType.NOSPACE, "", " "), ErrorCode.INVALID_ARGUMENT))
          .contains("reason");
      h.fails(raise(AlarmType.ALARM_NONE, "n1"), ErrorCode.INVALID_ARGUMENT);
      h.fails(raise(AlarmType.NOSPACE, "N 1"), ErrorCode.INVALID_ARGUMENT);

      CommandResult r = h.ok(disarm(AlarmType.NOSPACE, "", "disk replaced"));
      assertThat(r.getAlarmChange().getChangedList())
          .extracting(Alarm::getMember)
          .containsExactly("n1", "n2");
      assertThat(r.getAlarmChange().getActiveList())
          .extracting(x -> x.getAlarm() + "@" + x.getMember())
          .containsExactly("CORRUPT@n2");
      AuditRecord a = r.getAlarmChange().getAudit();
      assertThat(a.getAction()).isEqualTo("alarm-disarm");
      assertThat(a.getOperator()).isEqualTo(AuthorizationTest.OP);
      assertThat(a.getReason()).isEqualTo("disk replaced");
      assertThat(a.getSubject()).isEqualTo("alarm NOSPACE on every member (2 cleared)");

      h.ok(disarm(AlarmType.ALARM_NONE, "n2", "rebuilt"));
      assertThat(h.store().alarms().list()).isEmpty();
    }
  }

  @Test
  void removingAMemberClearsItsAlarms() {
    try (CoreHarness h = CoreHarness.open(dir)) {
      h.ok(raise(AlarmType.NOSPACE, "n4"));
      h.ok(raise(AlarmType.NOSPACE, "n1"));
      h.ok(
          Command.newBuilder()
              .setCaller(AuthorizationTest.OP)
              .setMemberChange(MemberChange.newBuilder().setRemove("n4").setReason("host gone"))
              .build());
      assertThat(h.store().alarms().list()).extracting(Alarm::getMember).containsExactly("n1");
    }
  }

  private static List<AuditRecord> audit(CoreHarness h, String action) {
    return h.store().audit(0, 100).stream().filter(a -> a.getAction().equals(action)).toList();
  }
}
