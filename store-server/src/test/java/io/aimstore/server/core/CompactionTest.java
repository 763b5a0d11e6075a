package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.ErrorCode;
import io.aimstore.server.core.CoreHarness.Cmd;
import io.aimstore.server.core.CoreHarness.Ops;
import io.aimstore.server.storage.Table;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reads at past revisions, and compaction of history. */
class CompactionTest extends CoreTest {
  /**
   * History used by most tests:
   *
   * <pre>
   *   rev 1  put a=a1
   *   rev 2  put b=b1
   *   rev 3  put a=a2
   *   rev 4  delete b
   *   rev 5  put c=c1
   *   rev 6  put b=b2      (new generation of b)
   *   rev 7  put a=a3
   *   rev 8  delete c
   * </pre>
   */
  private void history() {
    h.put("a", "a1");
    h.put("b", "b1");
    h.put("a", "a2");
    h.delete("b");
    h.put("c", "c1");
    h.put("b", "b2");
    h.put("a", "a3");
    h.delete("c");
    assertThat(h.revision()).isEqualTo(8);
  }

  /** Expected "key=value@create/mod/version" of the live keys at each revision of history(). */
  static final List<List<String>> AT =
      List.of(
          List.of(),
          List.of("a=a1@1/1/1"),
          List.of("a=a1@1/1/1", "b=b1@2/2/1"),
          List.of("a=a2@1/3/2", "b=b1@2/2/1"),
          List.of("a=a2@1/3/2"),
          List.of("a=a2@1/3/2", "c=c1@5/5/1"),
          List.of("a=a2@1/3/2", "b=b2@6/6/1", "c=c1@5/5/1"),
          List.of("a=a3@1/7/3", "b=b2@6/6/1", "c=c1@5/5/1"),
          List.of("a=a3@1/7/3", "b=b2@6/6/1"));

  private List<String> snapshotAt(long rev) {
    RangeResponse r =
        h.range(RangeRequest.newBuilder().setKey(bs("")).setRangeEnd(bs("\0")).setRevision(rev));
    return r.getKvsList().stream().map(CompactionTest::describe).toList();
  }

  static String describe(KeyValue kv) {
    return kv.getKey().toStringUtf8()
        + "="
        + kv.getValue().toStringUtf8()
        + "@"
        + kv.getCreateRevision()
        + "/"
        + kv.getModRevision()
        + "/"
        + kv.getVersion();
  }

  @Test
  void everyPastRevisionReadsAsItWas() {
    history();
    for (int rev = 1; rev <= 8; rev++) {
      assertThat(snapshotAt(rev)).as("rev %d", rev).containsExactlyElementsOf(AT.get(rev));
    }
  }

  @Test
  void pastReadsOfSingleKeys() {
    history();
    assertThat(h.get(bs("b"), 3).getValue()).isEqualTo(bs("b1"));
    assertThat(h.get(bs("b"), 4)).isNull();
    assertThat(h.get(bs("b"), 5)).isNull();
    assertThat(h.get(bs("b"), 6).getValue()).isEqualTo(bs("b2"));
    assertThat(h.get(bs("c"), 4)).isNull();
    assertThat(h.get(bs("c"), 7).getCreateRevision()).isEqualTo(5);
  }

  @Test
  void futureRevisionIsOutOfRange() {
    history();
    assertThatThrownBy(() -> h.get(bs("a"), 9))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RANGE))
        .hasMessageContaining("revision 9 is a future revision")
        .hasMessageContaining("current revision 8");
  }

  static Stream<Arguments> compactions() {
    return Stream.of(
        Arguments.of(1L), Arguments.of(3L), Arguments.of(4L), Arguments.of(5L), Arguments.of(8L));
  }

  @ParameterizedTest(name = "compact at {0}")
  @MethodSource("compactions")
  void compactedRevisionsFailAndLaterOnesStillReadCorrectly(long at) {
    history();
    h.compact(at);
    assertThat(h.store().compactRevision()).isEqualTo(at);
    assertThat(h.revision()).as("compaction does not bump the revision").isEqualTo(8);
    for (long rev = 1; rev < at; rev++) {
      long r = rev;
      assertThatThrownBy(() -> snapshotAt(r))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RANGE))
          .hasMessage("revision " + rev + " has been compacted (compact revision " + at + ")");
    }
    for (long rev = at; rev <= 8; rev++) {
      assertThat(snapshotAt(rev)).as("rev %d", rev).containsExactlyElementsOf(AT.get((int) rev));
    }
    assertThat(snapshotAt(0)).containsExactlyElementsOf(AT.get(8));
  }

  @Test
  void compactingTwiceMovesForwardOnly() {
    history();
    h.compact(3);
    String msg = h.fails(Cmd.compact(3), ErrorCode.OUT_OF_RANGE);
    assertThat(msg).contains("revision 3 has already been compacted (compact revision 3)");
    msg = h.fails(Cmd.compact(2), ErrorCode.OUT_OF_RANGE);
    assertThat(msg).contains("compact revision 3");
    assertThat(h.store().compactRevision()).isEqualTo(3);

    h.compact(6);
    assertThat(h.store().compactRevision()).isEqualTo(6);
    for (long rev = 6; rev <= 8; rev++) {
      assertThat(snapshotAt(rev)).containsExactlyElementsOf(AT.get((int) rev));
    }
    assertThatThrownBy(() -> snapshotAt(5)).hasMessageContaining("compact revision 6");
  }

  @Test
  void compactingAFutureRevisionFailsAndChangesNothing() {
    history();
    String msg = h.fails(Cmd.compact(9), ErrorCode.OUT_OF_RANGE);
    assertThat(msg).contains("revision 9 is a future revision (current revision 8)");
    assertThat(h.store().compactRevision()).isZero();
    assertThat(h.rows(Table.KV)).isEqualTo(8);
    assertThat(h.rows(Table.EVENTS)).isEqualTo(8);
    h.reopen();
    assertThat(h.store().compactRevision()).isZero();
    assertThat(snapshotAt(1)).containsExactlyElementsOf(AT.get(1));
  }

  @Test
  void compactionRemovesObsoleteVersionsAndDeletedKeys() {
    history();
    // 8 writes → 8 versions in KV and 8 events
    assertThat(h.rows(Table.KV)).isEqualTo(8);
    assertThat(h.rows(Table.EVENTS)).isEqualTo(8);
    h.compact(8);
    // kept: a@7, b@6 and c's tombstone at 8 (a watch from 8 must still replay that delete);
    // c's live versions and b's first generation are gone
    assertThat(h.rows(Table.KV)).isEqualTo(3);
    assertThat(h.rows(Table.EVENTS)).isEqualTo(1);
    assertThat(snapshotAt(8)).containsExactlyElementsOf(AT.get(8));

    // a deleted key is gone and can come back with a fresh generation
    h.put("c", "c2");
    KeyValue c = h.get("c");
    assertThat(c.getCreateRevision()).isEqualTo(9);
    assertThat(c.getVersion()).isEqualTo(1);
  }

  @Test
  void deletedNeighboursGoTogetherButWhatLiesBetweenThemStays() {
    h.put("a", "1"); // 1
    h.delete("a"); // 2
    h.put("c", "1"); // 3
    h.delete("c"); // 4
    h.put("b", "1"); // 5: between a and c, current at the compact revision
    h.put("d", "1"); // 6
    h.delete("d"); // 7: c and d are neighbours, gone together
    h.put("e", "1"); // 8
    h.compact(8);
    assertThat(snapshotAt(8)).containsExactly("b=1@5/5/1", "e=1@8/8/1");
    assertThat(h.rows(Table.KV)).isEqualTo(2);
    h.put("c", "2");
    assertThat(snapshotAt(9)).containsExactly("b=1@5/5/1", "c=2@9/9/1", "e=1@8/8/1");
  }

  @Test
  void compactionKeepsTheVersionCurrentAtTheCompactRevision() {
    h.put("k", "1"); // 1
    h.put("k", "2"); // 2
    h.put("k", "3"); // 3
    h.put("k", "4"); // 4
    h.compact(3);
    assertThat(h.get(bs("k"), 3).getValue()).isEqualTo(bs("3"));
    assertThat(h.get(bs("k"), 4).getValue()).isEqualTo(bs("4"));
    assertThat(h.rows(Table.KV)).isEqualTo(2);
    h.put("k", "5");
    assertThat(h.get("k").getVersion()).isEqualTo(5);
    assertThat(h.get("k").getCreateRevision()).isEqualTo(1);
  }

  @Test
  void keysUntouchedSinceAnEarlierCompactionSurviveTheNextOne() {
    h.put("old", "o"); // 1
    h.put("x", "1"); // 2
    h.compact(2);
    h.put("x", "2"); // 3
    h.put("x", "3"); // 4
    h.compact(4);
    assertThat(h.get("old").getValue()).isEqualTo(bs("o"));
    assertThat(h.get(bs("old"), 4).getModRevision()).isEqualTo(1);
    assertThat(h.get("x").getValue()).isEqualTo(bs("3"));
    // then the untouched key is deleted and compacted away
    h.delete("old"); // 5
    h.put("y", "1"); // 6
    h.compact(6);
    assertThat(h.get("old")).isNull();
    assertThat(h.get(bs("old"), 6)).isNull();
    assertThat(h.rows(Table.KV)).as("x@4 and y@6").isEqualTo(2);
  }

  @Test
  void pastReadsInsideATxnAreCheckedAgainstCompaction() {
    history();
    h.compact(4);
    String msg =
        h.fails(
            Cmd.txn(
                TxnRequest.newBuilder()
                    .addSuccess(Ops.put("z", "1"))
                    .addSuccess(
                        Ops.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(3)))),
            ErrorCode.OUT_OF_RANGE);
    assertThat(msg).contains("compact revision 4");
    assertThat(h.get("z")).isNull();

    var t =
        h.txn(
            TxnRequest.newBuilder()
                .addSuccess(Ops.range(RangeRequest.newBuilder().setKey(bs("b")).setRevision(5))));
    assertThat(t.getResponses(0).getResponseRange().getKvsList()).isEmpty();
    t =
        h.txn(
            TxnRequest.newBuilder()
                .addSuccess(Ops.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(4))));
    assertThat(t.getResponses(0).getResponseRange().getKvs(0).getValue()).isEqualTo(bs("a2"));
  }

  @Test
  void compactionSurvivesAReopen() {
    history();
    h.compact(5);
    h.reopen();
    assertThat(h.store().compactRevision()).isEqualTo(5);
    assertThat(h.revision()).isEqualTo(8);
    assertThatThrownBy(() -> snapshotAt(4)).hasMessageContaining("compact revision 5");
    assertThat(snapshotAt(5)).containsExactlyElementsOf(AT.get(5));
  }
}
