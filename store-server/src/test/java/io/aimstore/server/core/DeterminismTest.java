package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.LogEntry;
import io.aimstore.server.core.CoreHarness.Cmd;
import io.aimstore.server.core.CoreHarness.Ops;
import io.aimstore.server.storage.RocksBackend;
import io.aimstore.server.storage.StorageOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same log gives the same state; replays of applied entries change nothing; state persists. */
class DeterminismTest {
  @TempDir Path dir;

  /** A log touching every command kind, with leases, locks, quarantine and compaction. */
  static void richHistory(CoreHarness h) {
    Owner other = CoreHarness.OWNER.toBuilder().setName("drone-7").putLabels("slot", "3").build();
    long l1 = h.grant();
    long l2 = h.ok(Cmd.grant(0, 30, other)).getLeaseGrant().getId();
    long l3 = h.grant(500, 10);
    for (int i = 0; i < 10; i++) {
      h.put("cfg/" + i, "v" + i);
    }
    h.applyEntry(
        Cmd.put("sess/1", "a", l1),
        Cmd.put("sess/2", "b", l2),
        Cmd.put("sess/3", "c", l3),
        Cmd.delete("cfg/0"),
        Cmd.put("bad", "x", 999));
    h.txn(
        TxnRequest.newBuilder()
            .addCompare(Ops.version("cfg/1", Compare.CompareResult.EQUAL, 1))
            .addSuccess(Ops.put("cfg/1", "v1b"))
            .addSuccess(Ops.deleteRange("cfg/5", "cfg/7"))
            .addSuccess(Ops.get("cfg/1")));
    long t1 = h.acquire("aim/blue", l1).getToken();
    h.acquire("aim/blue", l2);
    h.acquire("aim/blue", l3);
    h.ok(Cmd.fencedPut("aim/blue/cfg", "1", "aim/blue", t1));
    h.ok(Cmd.checkpoint(l2, 12_000));
    h.compact(h.revision() - 3);
    h.ok(
        Cmd.forceRelease(
            ForceReleaseRequest.newBuilder()
                .setName("aim/blue")
                .setReason("stuck")
                .setOperator("bob")
                .setQuarantineMs(3_000)));
    long q = h.store().lock("aim/blue").record().getQuarantineLease();
    h.revoke(q);
    h.revoke(l2);
    h.applyEntry(Cmd.grant(0, 5), Cmd.put("late", "x"), Cmd.compact(h.revision()));
  }

  private static void replay(List<LogEntry> log, Store store) {
    long index = 0;
    for (LogEntry e : log) {
      store.apply(e, CoreHarness.TERM, ++index);
    }
  }

  @Test
  void replayingTheSameLogOnTwoFreshStoresGivesTheSameState() throws Exception {
    String hashA;
    List<LogEntry> log;
    List<ApplyResult> resultsA;
    try (CoreHarness a = CoreHarness.open(dir.resolve("a"))) {
      richHistory(a);
      log = List.copyOf(a.log());
      resultsA = List.copyOf(a.results());
      hashA = a.store().stateHash();
    }
    assertThat(log).hasSizeGreaterThan(20);
    // two more fresh stores, fed the log directly
    for (String name : List.of("b", "c")) {
      try (RocksBackend backend = RocksBackend.open(dir.resolve(name), StorageOptions.DEFAULT)) {
        Store s = new Store(backend, Limits.DEFAULT);
        List<ApplyResult> rs = new ArrayList<>();
        long index = 0;
        for (LogEntry e : log) {
          rs.add(s.apply(e, CoreHarness.TERM, ++index));
        }
        assertThat(s.stateHash()).as(name).isEqualTo(hashA);
        assertThat(rs).as(name).isEqualTo(resultsA);
        assertThat(s.appliedIndex()).isEqualTo(log.size());
      }
    }
    assertThat(hashA).hasSize(64);
  }

  @Test
  void theHashSeesEveryDifference() {
    String base;
    String otherValue;
    String otherIndex;
    try (CoreHarness h = CoreHarness.open(dir.resolve("1"))) {
      h.put("a", "1");
      base = h.store().stateHash();
    }
    try (CoreHarness h = CoreHarness.open(dir.resolve("2"))) {
      h.put("a", "2");
      otherValue = h.store().stateHash();
    }
    try (CoreHarness h = CoreHarness.open(dir.resolve("3"))) {
      h.applyEntry();
      h.put("a", "1");
      otherIndex = h.store().stateHash();
    }
    assertThat(List.of(base, otherValue, otherIndex)).doesNotHaveDuplicates();
  }

  @Test
  void reapplyingAnAlreadyAppliedEntryIsSkippedAndChangesNothing() {
    try (CoreHarness h = CoreHarness.open(dir)) {
      h.put("a", "1");
      h.put("b", "1");
      long lease = h.grant();
      String hash = h.store().stateHash();
      long index = h.store().appliedIndex();
      List<LogEntry> log = h.log();
      for (int i = 0; i < log.size(); i++) {
        ApplyResult r = h.store().apply(log.get(i), CoreHarness.TERM, i + 1);
        assertThat(r).isSameAs(ApplyResult.ALREADY_APPLIED);
      }
      // even a different entry at an applied index is ignored
      ApplyResult r =
          h.store()
              .apply(
                  LogEntry.newBuilder()
                      .addCommands(Cmd.put("c", "1"))
                      .addCommands(Cmd.revoke(lease))
                      .build(),
                  CoreHarness.TERM,
                  index);
      assertThat(r).isSameAs(ApplyResult.ALREADY_APPLIED);
      assertThat(r.results()).isEmpty();
      assertThat(h.store().stateHash()).isEqualTo(hash);
      assertThat(h.store().appliedIndex()).isEqualTo(index);
      assertThat(h.revision()).isEqualTo(2);
      assertThat(h.get("c")).isNull();
      assertThat(h.store().lease(lease)).isNotNull();
    }
  }

  @Test
  void anEmptyEntryAdvancesOnlyTheAppliedIndex() {
    try (CoreHarness h = CoreHarness.open(dir)) {
      h.put("a", "1");
      ApplyResult r = h.store().apply(LogEntry.getDefaultInstance(), 9, 2);
      assertThat(r.results()).isEmpty();
      assertThat(r.events()).isEmpty();
      assertThat(h.store().appliedIndex()).isEqualTo(2);
      assertThat(h.store().appliedTerm()).isEqualTo(9);
      assertThat(h.revision()).isEqualTo(1);
    }
  }

  @Test
  void reopeningPreservesStateAndAppliedPosition() throws Exception {
    String hash;
    long rev;
    long compact;
    try (CoreHarness h = CoreHarness.open(dir)) {
      richHistory(h);
      hash = h.store().stateHash();
      rev = h.revision();
      compact = h.store().compactRevision();
      long index = h.store().appliedIndex();
      h.reopen();
      assertThat(h.store().stateHash()).isEqualTo(hash);
      assertThat(h.store().appliedIndex()).isEqualTo(index);
      assertThat(h.store().appliedTerm()).isEqualTo(CoreHarness.TERM);
      assertThat(h.revision()).isEqualTo(rev);
      assertThat(h.store().compactRevision()).isEqualTo(compact);
      assertThat(h.get("cfg/1").getValue()).isEqualTo(bs("v1b"));
    }
    // a brand-new Store object over the same directory sees the same
    try (RocksBackend backend = RocksBackend.open(dir, StorageOptions.DEFAULT)) {
      Store s = new Store(backend, Limits.DEFAULT);
      assertThat(s.stateHash()).isEqualTo(hash);
      assertThat(s.revision()).isEqualTo(rev);
    }
  }

  @Test
  void aRestartedStoreResumesTheLogAndEndsInTheSameState() throws Exception {
    List<LogEntry> log;
    String expected;
    try (CoreHarness a = CoreHarness.open(dir.resolve("a"))) {
      richHistory(a);
      log = List.copyOf(a.log());
      expected = a.store().stateHash();
    }
    int half = log.size() / 2;
    try (RocksBackend backend = RocksBackend.open(dir.resolve("b"), StorageOptions.DEFAULT)) {
      replay(log.subList(0, half), new Store(backend, Limits.DEFAULT));
    }
    // after the restart the whole log is offered again (as Ratis might): the first half is skipped
    try (RocksBackend backend = RocksBackend.open(dir.resolve("b"), StorageOptions.DEFAULT)) {
      Store s = new Store(backend, Limits.DEFAULT);
      assertThat(s.appliedIndex()).isEqualTo(half);
      long index = 0;
      int skipped = 0;
      for (LogEntry e : log) {
        if (s.apply(e, CoreHarness.TERM, ++index) == ApplyResult.ALREADY_APPLIED) {
          skipped++;
        }
      }
      assertThat(skipped).isEqualTo(half);
      assertThat(s.stateHash()).isEqualTo(expected);
    }
  }

  @Test
  void aCheckpointOpensAsTheSameState() throws Exception {
    try (CoreHarness h = CoreHarness.open(dir.resolve("live"))) {
      richHistory(h);
      String hash = h.store().stateHash();
      Path cp = dir.resolve("checkpoint");
      h.backend().checkpoint(cp);
      h.put("after-checkpoint", "x");
      try (RocksBackend copy = RocksBackend.open(cp, StorageOptions.DEFAULT)) {
        Store s = new Store(copy, Limits.DEFAULT);
        assertThat(s.stateHash()).isEqualTo(hash);
        assertThat(s.appliedIndex()).isEqualTo(h.store().appliedIndex() - 1);
      }
    }
  }
}
