package io.aimstore.server.core;

import static io.aimstore.api.v1.Compare.CompareResult.EQUAL;
import static io.aimstore.api.v1.Compare.CompareResult.GREATER;
import static io.aimstore.api.v1.Compare.CompareResult.LESS;
import static io.aimstore.api.v1.Compare.CompareResult.NOT_EQUAL;
import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.ResponseOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
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

/** Transactions: compares, branches, reads of their own writes, one revision, overlap rules. */
class TxnTest extends CoreTest {
  static final long LEASE = 100;

  /** Key "k": value "m", create 2, mod 3, version 2, lease 100. */
  private void setupK() {
    h.grant(LEASE, 60);
    h.put("x", "1");
    h.put("k", "m", LEASE);
    h.put("k", "m", LEASE);
    assertThat(h.get("k").getCreateRevision()).isEqualTo(2);
    assertThat(h.get("k").getModRevision()).isEqualTo(3);
  }

  /** Runs {@code compare}; success puts "s", failure puts "f"; returns whether it succeeded. */
  private boolean run(Compare... compares) {
    TxnResponse t =
        h.txn(
            TxnRequest.newBuilder()
                .addAllCompare(List.of(compares))
                .addSuccess(Ops.put("s", "yes"))
                .addFailure(Ops.put("f", "no")));
    assertThat(h.get(t.getSucceeded() ? "s" : "f")).isNotNull();
    assertThat(h.get(t.getSucceeded() ? "f" : "s")).isNull();
    assertThat(t.getResponsesCount()).isEqualTo(1);
    assertThat(t.getResponses(0).getResponseCase()).isEqualTo(ResponseOp.ResponseCase.RESPONSE_PUT);
    return t.getSucceeded();
  }

  static Stream<Arguments> compares() {
    return Stream.of(
        Arguments.of(Ops.value("k", EQUAL, "m"), true),
        Arguments.of(Ops.value("k", EQUAL, "l"), false),
        Arguments.of(Ops.value("k", GREATER, "l"), true),
        Arguments.of(Ops.value("k", GREATER, "m"), false),
        Arguments.of(Ops.value("k", GREATER, "n"), false),
        Arguments.of(Ops.value("k", LESS, "n"), true),
        Arguments.of(Ops.value("k", LESS, "m"), false),
        Arguments.of(Ops.value("k", LESS, "l"), false),
        Arguments.of(Ops.value("k", NOT_EQUAL, "l"), true),
        Arguments.of(Ops.value("k", NOT_EQUAL, "m"), false),
        Arguments.of(Ops.value("k", LESS, "m\0"), true),
        Arguments.of(Ops.value("k", GREATER, ""), true),
        Arguments.of(Ops.version("k", EQUAL, 2), true),
        Arguments.of(Ops.version("k", EQUAL, 1), false),
        Arguments.of(Ops.version("k", GREATER, 1), true),
        Arguments.of(Ops.version("k", GREATER, 2), false),
        Arguments.of(Ops.version("k", LESS, 3), true),
        Arguments.of(Ops.version("k", LESS, 2), false),
        Arguments.of(Ops.version("k", NOT_EQUAL, 1), true),
        Arguments.of(Ops.version("k", NOT_EQUAL, 2), false),
        Arguments.of(Ops.create("k", EQUAL, 2), true),
        Arguments.of(Ops.create("k", EQUAL, 3), false),
        Arguments.of(Ops.create("k", GREATER, 1), true),
        Arguments.of(Ops.create("k", GREATER, 2), false),
        Arguments.of(Ops.create("k", LESS, 3), true),
        Arguments.of(Ops.create("k", LESS, 2), false),
        Arguments.of(Ops.create("k", NOT_EQUAL, 3), true),
        Arguments.of(Ops.create("k", NOT_EQUAL, 2), false),
        Arguments.of(Ops.mod("k", EQUAL, 3), true),
        Arguments.of(Ops.mod("k", EQUAL, 2), false),
        Arguments.of(Ops.mod("k", GREATER, 2), true),
        Arguments.of(Ops.mod("k", GREATER, 3), false),
        Arguments.of(Ops.mod("k", LESS, 4), true),
        Arguments.of(Ops.mod("k", LESS, 3), false),
        Arguments.of(Ops.mod("k", NOT_EQUAL, 2), true),
        Arguments.of(Ops.mod("k", NOT_EQUAL, 3), false),
        Arguments.of(Ops.lease("k", EQUAL, LEASE), true),
        Arguments.of(Ops.lease("k", EQUAL, 0), false),
        Arguments.of(Ops.lease("k", GREATER, LEASE - 1), true),
        Arguments.of(Ops.lease("k", GREATER, LEASE), false),
        Arguments.of(Ops.lease("k", LESS, LEASE + 1), true),
        Arguments.of(Ops.lease("k", LESS, LEASE), false),
        Arguments.of(Ops.lease("k", NOT_EQUAL, 0), true),
        Arguments.of(Ops.lease("k", NOT_EQUAL, LEASE), false));
  }

  @ParameterizedTest(name = "{index}: {0} → {1}")
  @MethodSource("compares")
  void compareOnAnExistingKey(Compare c, boolean expected) {
    setupK();
    assertThat(run(c)).isEqualTo(expected);
  }

  /** etcd's rule: a missing key compares as an empty KeyValue, except VALUE, which never holds. */
  static Stream<Arguments> missingKeyCompares() {
    return Stream.of(
        Arguments.of(Ops.version("nope", EQUAL, 0), true),
        Arguments.of(Ops.version("nope", GREATER, 0), false),
        Arguments.of(Ops.version("nope", LESS, 1), true),
        Arguments.of(Ops.create("nope", EQUAL, 0), true),
        Arguments.of(Ops.create("nope", NOT_EQUAL, 0), false),
        Arguments.of(Ops.mod("nope", EQUAL, 0), true),
        Arguments.of(Ops.mod("nope", LESS, 5), true),
        Arguments.of(Ops.lease("nope", EQUAL, 0), true),
        Arguments.of(Ops.lease("nope", NOT_EQUAL, 0), false),
        Arguments.of(Ops.value("nope", EQUAL, ""), false),
        Arguments.of(Ops.value("nope", NOT_EQUAL, "x"), false),
        Arguments.of(Ops.value("nope", LESS, "x"), false),
        Arguments.of(Ops.value("nope", GREATER, ""), false),
        // a deleted key is missing too
        Arguments.of(Ops.version("gone", EQUAL, 0), true),
        Arguments.of(Ops.create("gone", EQUAL, 0), true),
        Arguments.of(Ops.value("gone", EQUAL, "g"), false));
  }

  @ParameterizedTest(name = "{index}: {0} → {1}")
  @MethodSource("missingKeyCompares")
  void compareOnAMissingKey(Compare c, boolean expected) {
    h.put("gone", "g");
    h.delete("gone");
    h.put("other", "x");
    assertThat(run(c)).isEqualTo(expected);
  }

  static Compare rangeCompare(Compare c, String end) {
    return c.toBuilder().setRangeEnd(bs(end)).build();
  }

  static Stream<Arguments> rangeCompares() {
    String pe = KeyRanges.prefixEnd(bs("r/")).toStringUtf8();
    return Stream.of(
        // r/1 v1, r/2 v2, r/3 v1 (values "a", "b", "c")
        Arguments.of(rangeCompare(Ops.version("r/", GREATER, 0), pe), true),
        Arguments.of(rangeCompare(Ops.version("r/", EQUAL, 1), pe), false),
        Arguments.of(rangeCompare(Ops.version("r/", LESS, 3), pe), true),
        Arguments.of(rangeCompare(Ops.version("r/", LESS, 2), pe), false),
        Arguments.of(rangeCompare(Ops.version("r/1", EQUAL, 1), "r/2"), true),
        Arguments.of(rangeCompare(Ops.version("r/2", EQUAL, 1), "r/3"), false),
        Arguments.of(rangeCompare(Ops.value("r/", LESS, "d"), pe), true),
        Arguments.of(rangeCompare(Ops.value("r/", NOT_EQUAL, "b"), pe), false),
        Arguments.of(rangeCompare(Ops.create("r/", GREATER, 0), "\0"), true),
        Arguments.of(rangeCompare(Ops.lease("r/", EQUAL, 0), pe), true),
        // an empty range compares against an empty KeyValue; VALUE never holds
        Arguments.of(rangeCompare(Ops.version("q/", EQUAL, 0), "q0"), true),
        Arguments.of(rangeCompare(Ops.create("q/", GREATER, 0), "q0"), false),
        Arguments.of(rangeCompare(Ops.value("q/", NOT_EQUAL, "x"), "q0"), false));
  }

  @ParameterizedTest(name = "{index}: {0} → {1}")
  @MethodSource("rangeCompares")
  void compareOverARangeHoldsOnlyIfItHoldsForEveryKey(Compare c, boolean expected) {
    h.put("r/1", "a");
    h.put("r/2", "b");
    h.put("r/2", "b");
    h.put("r/3", "c");
    assertThat(run(c)).isEqualTo(expected);
  }

  @Test
  void allComparesMustHold() {
    setupK();
    assertThat(run(Ops.version("k", EQUAL, 2), Ops.value("k", EQUAL, "m"))).isTrue();
    h.delete("s");
    assertThat(run(Ops.version("k", EQUAL, 2), Ops.value("k", EQUAL, "nope"))).isFalse();
    h.delete("f");
    assertThat(run(Ops.version("k", EQUAL, 7), Ops.value("k", EQUAL, "m"))).isFalse();
  }

  @Test
  void noComparesRunsTheSuccessBranch() {
    assertThat(run()).isTrue();
  }

  @Test
  void failureBranchRunsItsOwnOpsWithResponsesInOrder() {
    setupK();
    TxnResponse t =
        h.txn(
            TxnRequest.newBuilder()
                .addCompare(Ops.value("k", EQUAL, "other"))
                .addSuccess(Ops.put("s", "1"))
                .addFailure(Ops.get("k"))
                .addFailure(Ops.put("f1", "1"))
                .addFailure(Ops.delete("x"))
                .addFailure(Ops.get("x")));
    assertThat(t.getSucceeded()).isFalse();
    assertThat(t.getResponsesList())
        .extracting(ResponseOp::getResponseCase)
        .containsExactly(
            ResponseOp.ResponseCase.RESPONSE_RANGE,
            ResponseOp.ResponseCase.RESPONSE_PUT,
            ResponseOp.ResponseCase.RESPONSE_DELETE_RANGE,
            ResponseOp.ResponseCase.RESPONSE_RANGE);
    assertThat(t.getResponses(0).getResponseRange().getKvs(0).getValue()).isEqualTo(bs("m"));
    assertThat(t.getResponses(2).getResponseDeleteRange().getDeleted()).isEqualTo(1);
    assertThat(t.getResponses(3).getResponseRange().getKvsList()).isEmpty();
    assertThat(h.get("s")).isNull();
    assertThat(h.get("f1")).isNotNull();
    assertThat(h.get("x")).isNull();
  }

  @Test
  void rangesInsideATxnSeeItsEarlierWrites() {
    h.put("a", "old");
    h.put("b", "b");
    TxnResponse t =
        h.txn(
            TxnRequest.newBuilder()
                .addSuccess(Ops.get("a"))
                .addSuccess(Ops.put("a", "new"))
                .addSuccess(Ops.get("a"))
                .addSuccess(Ops.put("c", "c"))
                .addSuccess(Ops.delete("b"))
                .addSuccess(
                    Ops.range(RangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(bs("\0"))))
                .addSuccess(Ops.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(2))));
    var before = t.getResponses(0).getResponseRange();
    var after = t.getResponses(2).getResponseRange();
    var all = t.getResponses(5).getResponseRange();
    var past = t.getResponses(6).getResponseRange();
    assertThat(before.getKvs(0).getValue()).isEqualTo(bs("old"));
    assertThat(after.getKvs(0).getValue()).isEqualTo(bs("new"));
    assertThat(after.getKvs(0).getModRevision()).isEqualTo(3);
    assertThat(after.getKvs(0).getVersion()).isEqualTo(2);
    assertThat(h.keys(all)).containsExactly("a", "c");
    assertThat(all.getCount()).isEqualTo(2);
    assertThat(past.getKvs(0).getValue()).isEqualTo(bs("old"));
  }

  @Test
  void aWritingTxnIsOneRevisionWithAllItsEvents() {
    h.put("d1", "x");
    h.put("d2", "x");
    ApplyResult r =
        h.applyEntry(
            Cmd.txn(
                TxnRequest.newBuilder()
                    .addSuccess(Ops.put("p1", "1"))
                    .addSuccess(Ops.deleteRange("d", "e"))
                    .addSuccess(Ops.put("p2", "2"))));
    assertThat(h.revision()).isEqualTo(3);
    assertThat(r.results().get(0).getRevision()).isEqualTo(3);
    TxnResponse t = r.results().get(0).getTxn();
    assertThat(t.getHeader().getRevision()).isEqualTo(3);
    assertThat(h.get("p1").getModRevision()).isEqualTo(3);
    assertThat(h.get("p2").getModRevision()).isEqualTo(3);
    assertThat(r.events()).hasSize(1);
    assertThat(r.events().get(0).revision()).isEqualTo(3);
    assertThat(r.events().get(0).events())
        .extracting(e -> e.getType() + " " + e.getKv().getKey().toStringUtf8())
        .containsExactly("PUT p1", "DELETE d1", "DELETE d2", "PUT p2");
    assertThat(r.events().get(0).events())
        .allSatisfy(e -> assertThat(e.getKv().getModRevision()).isEqualTo(3));
    assertThat(h.get(bs("d1"), 2)).isNotNull();
    assertThat(h.get(bs("p1"), 2)).isNull();
  }

  @Test
  void everyResponseOfAWritingTxnNamesTheTxnRevision() {
    h.put("a", "1");
    TxnResponse t =
        h.txn(
            TxnRequest.newBuilder()
                .addSuccess(Ops.put("b", "1"))
                .addSuccess(Ops.delete("missing"))
                .addSuccess(Ops.get("a"))
                .addSuccess(Ops.put("c", "1")));
    assertThat(t.getHeader().getRevision()).isEqualTo(2);
    assertThat(t.getResponsesList())
        .extracting(TxnTest::headerRevision)
        .containsExactly(2L, 2L, 2L, 2L);
  }

  @Test
  void aReadOnlyTxnNamesTheCurrentRevision() {
    h.put("a", "1");
    h.put("a", "2");
    TxnResponse t =
        h.txn(TxnRequest.newBuilder().addSuccess(Ops.get("a")).addSuccess(Ops.delete("zz")));
    assertThat(t.getHeader().getRevision()).isEqualTo(2);
    assertThat(t.getResponsesList()).extracting(TxnTest::headerRevision).containsExactly(2L, 2L);
    assertThat(h.revision()).isEqualTo(2);
  }

  private static long headerRevision(ResponseOp op) {
    return switch (op.getResponseCase()) {
      case RESPONSE_RANGE -> op.getResponseRange().getHeader().getRevision();
      case RESPONSE_PUT -> op.getResponsePut().getHeader().getRevision();
      case RESPONSE_DELETE_RANGE -> op.getResponseDeleteRange().getHeader().getRevision();
      default -> -1;
    };
  }

  @Test
  void putAndDeleteInsideATxnReturnPrevKvs() {
    h.put("a", "1");
    h.put("b", "2");
    var a = h.get("a");
    var b = h.get("b");
    TxnResponse t =
        h.txn(
            TxnRequest.newBuilder()
                .addSuccess(
                    Ops.put(
                        PutRequest.newBuilder().setKey(bs("a")).setValue(bs("x")).setPrevKv(true)))
                .addSuccess(
                    RequestOp.newBuilder()
                        .setRequestDeleteRange(
                            DeleteRangeRequest.newBuilder().setKey(bs("b")).setPrevKv(true))
                        .build()));
    assertThat(t.getResponses(0).getResponsePut().getPrevKv()).isEqualTo(a);
    assertThat(t.getResponses(1).getResponseDeleteRange().getPrevKvsList()).containsExactly(b);
  }

  static Stream<Arguments> overlapping() {
    return Stream.of(
        Arguments.of(
            "duplicate put",
            List.of(Ops.put("a", "1"), Ops.put("b", "1"), Ops.put("a", "2")),
            "txn puts key \"a\" twice"),
        Arguments.of(
            "put then delete of the key",
            List.of(Ops.put("a", "1"), Ops.delete("a")),
            "txn both puts and deletes key \"a\""),
        Arguments.of(
            "delete then put of the key",
            List.of(Ops.delete("a"), Ops.put("a", "1")),
            "txn both puts and deletes key \"a\""),
        Arguments.of(
            "put inside a deleted range",
            List.of(Ops.put("b", "1"), Ops.deleteRange("a", "c")),
            "txn both puts and deletes key \"b\""),
        Arguments.of(
            "put inside a delete to the end",
            List.of(Ops.deleteRange("a", "\0"), Ops.put("zz", "1")),
            "txn both puts and deletes key \"zz\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlapping")
  void overlappingWritesAreRejectedAndNothingIsWritten(
      String name, List<RequestOp> ops, String message) {
    h.put("a", "orig");
    h.put("b", "orig");
    long kvRows = h.rows(Table.KV);
    String msg =
        h.fails(Cmd.txn(TxnRequest.newBuilder().addAllSuccess(ops)), ErrorCode.INVALID_ARGUMENT);
    assertThat(msg).isEqualTo(message);
    assertThat(h.rows(Table.KV)).isEqualTo(kvRows);
    assertThat(h.get("a").getValue()).isEqualTo(bs("orig"));
    assertThat(h.get("b").getValue()).isEqualTo(bs("orig"));
    assertThat(h.revision()).isEqualTo(2);
  }

  @Test
  void overlappingDeletesAreFine() {
    h.put("a", "1");
    h.put("b", "1");
    TxnResponse t =
        h.txn(
            TxnRequest.newBuilder()
                .addSuccess(Ops.deleteRange("a", "c"))
                .addSuccess(Ops.delete("a"))
                .addSuccess(Ops.put("c", "1")));
    assertThat(t.getResponses(0).getResponseDeleteRange().getDeleted()).isEqualTo(2);
    assertThat(t.getResponses(1).getResponseDeleteRange().getDeleted()).isZero();
    assertThat(h.keys(h.all())).containsExactly("c");
    assertThat(h.revision()).isEqualTo(3);
  }

  @Test
  void overlapInTheBranchNotTakenDoesNotMatterInApply() {
    TxnResponse t =
        h.txn(
            TxnRequest.newBuilder()
                .addSuccess(Ops.put("ok", "1"))
                .addFailure(Ops.put("x", "1"))
                .addFailure(Ops.put("x", "2")));
    assertThat(t.getSucceeded()).isTrue();
    assertThat(h.get("ok")).isNotNull();
  }

  @Test
  void aTxnPutWithAnUnknownLeaseFailsWholeAndWritesNothing() {
    h.put("a", "1");
    String msg =
        h.fails(
            Cmd.txn(
                TxnRequest.newBuilder()
                    .addSuccess(Ops.put("b", "1"))
                    .addSuccess(Ops.delete("a"))
                    .addSuccess(
                        Ops.put(
                            PutRequest.newBuilder()
                                .setKey(bs("c"))
                                .setValue(bs("1"))
                                .setLease(555)))),
            ErrorCode.NOT_FOUND);
    assertThat(msg).contains("lease 555 not found");
    assertThat(h.get("a")).isNotNull();
    assertThat(h.get("b")).isNull();
    assertThat(h.rows(Table.KV)).isEqualTo(1);
    assertThat(h.rows(Table.EVENTS)).isEqualTo(1);
  }

  @Test
  void compareAndSwapLoopIsLinearInRevisions() {
    h.put("counter", "0");
    for (int i = 0; i < 5; i++) {
      var cur = h.get("counter");
      TxnResponse t =
          h.txn(
              TxnRequest.newBuilder()
                  .addCompare(Ops.mod("counter", EQUAL, cur.getModRevision()))
                  .addSuccess(Ops.put("counter", Integer.toString(i + 1))));
      assertThat(t.getSucceeded()).isTrue();
      // a stale CAS with the old mod revision fails
      TxnResponse stale =
          h.txn(
              TxnRequest.newBuilder()
                  .addCompare(Ops.mod("counter", EQUAL, cur.getModRevision()))
                  .addSuccess(Ops.put("counter", "stale")));
      assertThat(stale.getSucceeded()).isFalse();
    }
    assertThat(h.get("counter").getValue()).isEqualTo(bs("5"));
    assertThat(h.get("counter").getVersion()).isEqualTo(6);
    assertThat(h.revision()).isEqualTo(6);
  }

  @Test
  void txnEventsCarryPrevKv() {
    h.put("a", "1");
    var prev = h.get("a");
    ApplyResult r = h.applyEntry(Cmd.txn(TxnRequest.newBuilder().addSuccess(Ops.put("a", "2"))));
    Event e = r.events().get(0).events().get(0);
    assertThat(e.getPrevKv()).isEqualTo(prev);
    assertThat(e.getKv().getVersion()).isEqualTo(2);
  }
}
