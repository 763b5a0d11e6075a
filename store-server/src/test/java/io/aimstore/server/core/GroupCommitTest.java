package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.ErrorCode;
import io.aimstore.server.core.CoreHarness.Cmd;
import io.aimstore.server.core.CoreHarness.Ops;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Several commands in one log entry, as group commit packs them. */
class GroupCommitTest extends CoreTest {
  @Test
  void eachCommandGetsItsOwnRevisionAndResult() {
    h.put("seed", "0"); // rev 1
    Command[] cmds = new Command[16];
    for (int i = 0; i < cmds.length; i++) {
      cmds[i] = h.putCmd("k" + i, "v" + i);
    }
    ApplyResult r = h.applyEntry(cmds);
    assertThat(h.store().appliedIndex()).isEqualTo(2);
    assertThat(h.revision()).isEqualTo(17);
    for (int i = 0; i < cmds.length; i++) {
      CommandResult c = r.results().get(i);
      assertThat(c.getRevision()).isEqualTo(2 + i);
      assertThat(c.getPut().getHeader().getRevision()).isEqualTo(2 + i);
      assertThat(h.get("k" + i).getModRevision()).isEqualTo(2 + i);
    }
    assertThat(r.events())
        .extracting(RevisionEvents::revision)
        .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L);
  }

  @Test
  void laterCommandsSeeEarlierOnesOfTheSameEntry() {
    ApplyResult r =
        h.applyEntry(
            h.putCmd("a", "1"),
            h.putCmd("a", "2"),
            Cmd.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("3")).setPrevKv(true)),
            Cmd.txn(
                TxnRequest.newBuilder()
                    .addCompare(Ops.version("a", io.aimstore.api.v1.Compare.CompareResult.EQUAL, 3))
                    .addSuccess(Ops.put("b", "seen"))),
            Cmd.delete("a"),
            Cmd.delete("a"));
    assertThat(r.results())
        .extracting(CommandResult::getRevision)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 5L);
    assertThat(r.results().get(2).getPut().getPrevKv().getValue()).isEqualTo(bs("2"));
    assertThat(r.results().get(3).getTxn().getSucceeded()).isTrue();
    assertThat(r.results().get(4).getDeleteRange().getDeleted()).isEqualTo(1);
    assertThat(r.results().get(5).getDeleteRange().getDeleted()).isZero();
    assertThat(h.get("a")).isNull();
    assertThat(h.get(bs("a"), 3).getVersion()).isEqualTo(3);
    assertThat(h.get("b").getModRevision()).isEqualTo(4);
  }

  /** A command that fails in the middle of an entry, with whatever it needs set up first. */
  record Failing(String name, Function<CoreHarness, Command> command, ErrorCode code) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Failing> failing() {
    return Stream.of(
        new Failing("put with unknown lease", x -> Cmd.put("bad", "v", 999), ErrorCode.NOT_FOUND),
        new Failing(
            "ignore_value on missing key",
            x -> Cmd.put(PutRequest.newBuilder().setKey(bs("bad")).setIgnoreValue(true)),
            ErrorCode.NOT_FOUND),
        new Failing(
            "txn with duplicate put",
            x ->
                Cmd.txn(
                    TxnRequest.newBuilder()
                        .addSuccess(Ops.put("bad", "1"))
                        .addSuccess(Ops.put("bad", "2"))),
            ErrorCode.INVALID_ARGUMENT),
        new Failing(
            "txn with unknown lease after a put",
            x ->
                Cmd.txn(
                    TxnRequest.newBuilder()
                        .addSuccess(Ops.put("bad", "1"))
                        .addSuccess(
                            Ops.put(PutRequest.newBuilder().setKey(bs("bad2")).setLease(7)))),
            ErrorCode.NOT_FOUND),
        new Failing(
            "compaction of a future revision", x -> Cmd.compact(1000), ErrorCode.OUT_OF_RANGE),
        new Failing("revoke of unknown lease", x -> Cmd.revoke(4242), ErrorCode.NOT_FOUND),
        new Failing(
            "grant of an existing lease id",
            x -> {
              x.grant(55, 60);
              return Cmd.grant(55, 60);
            },
            ErrorCode.ALREADY_EXISTS),
        new Failing(
            "lock acquire with unknown lease", x -> Cmd.acquire("L", 31337), ErrorCode.NOT_FOUND),
        new Failing(
            "fenced put with a stale token",
            x -> Cmd.fencedPut("bad", "v", "L", 1),
            ErrorCode.FAILED_PRECONDITION),
        new Failing(
            "force release of a free lock",
            x ->
                Cmd.forceRelease(
                    io.aimstore.api.v1.ForceReleaseRequest.newBuilder()
                        .setName("free")
                        .setReason("r")
                        .setOperator("o")),
            ErrorCode.FAILED_PRECONDITION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failing")
  void aFailingCommandInTheMiddleLeavesNoTraceAndTheOthersApply(Failing f) {
    Command bad = f.command().apply(h);
    long rev = h.revision();
    long kvRows = h.rows(Table.KV);
    long leaseRows = h.rows(Table.LEASES);
    long lockRows = h.rows(Table.LOCKS);
    ApplyResult r = h.applyEntry(h.putCmd("before", "1"), bad, h.putCmd("after", "2"));

    assertThat(r.results().get(0).hasError()).isFalse();
    assertThat(r.results().get(1).getError().getCode()).isEqualTo(f.code());
    assertThat(r.results().get(1).getError().getMessage()).isNotBlank();
    assertThat(r.results().get(2).hasError()).isFalse();
    assertThat(r.results())
        .extracting(CommandResult::getRevision)
        .containsExactly(rev + 1, rev + 1, rev + 2);
    assertThat(h.get("before").getModRevision()).isEqualTo(rev + 1);
    assertThat(h.get("after").getModRevision()).isEqualTo(rev + 2);
    assertThat(h.get("bad")).isNull();
    assertThat(h.get("bad2")).isNull();
    assertThat(h.rows(Table.KV)).isEqualTo(kvRows + 2);
    assertThat(h.rows(Table.LEASES)).isEqualTo(leaseRows);
    assertThat(h.rows(Table.LOCKS)).isEqualTo(lockRows);
    assertThat(r.events()).extracting(RevisionEvents::revision).containsExactly(rev + 1, rev + 2);
    assertThat(r.leaseChanges()).isEmpty();
    assertThat(r.lockChanges()).isEmpty();
  }

  static Stream<Arguments> entrySizes() {
    return Stream.of(Arguments.of(1), Arguments.of(3), Arguments.of(16), Arguments.of(64));
  }

  @ParameterizedTest(name = "{0} per entry")
  @MethodSource("entrySizes")
  void groupingDoesNotChangeTheOutcome(int perEntry) {
    // the same 64 commands, applied 1 per entry on one store and perEntry per entry on another
    List<Command> cmds = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      cmds.add(
          switch (i % 4) {
            case 0, 1 -> h.putCmd("k" + (i % 7), "v" + i);
            case 2 -> Cmd.delete("k" + (i % 5));
            default ->
                Cmd.txn(
                    TxnRequest.newBuilder()
                        .addCompare(
                            Ops.version(
                                "k" + (i % 3), io.aimstore.api.v1.Compare.CompareResult.GREATER, 1))
                        .addSuccess(Ops.put("t" + i, "x"))
                        .addFailure(Ops.delete("k" + (i % 7))));
          });
    }
    List<CommandResult> one = new ArrayList<>();
    for (Command c : cmds) {
      one.add(h.apply(c.toBuilder().setProposedAtMs(1).build()));
    }
    try (CoreHarness other = CoreHarness.open(dir.resolve("other"))) {
      List<CommandResult> grouped = new ArrayList<>();
      for (int i = 0; i < cmds.size(); i += perEntry) {
        Command[] batch =
            cmds.subList(i, Math.min(cmds.size(), i + perEntry)).stream()
                .map(c -> c.toBuilder().setProposedAtMs(1).build())
                .toArray(Command[]::new);
        grouped.addAll(other.applyEntry(batch).results());
      }
      assertThat(grouped).isEqualTo(one);
      assertThat(other.all()).isEqualTo(h.all());
      assertThat(other.revision()).isEqualTo(h.revision());
    }
  }
}
