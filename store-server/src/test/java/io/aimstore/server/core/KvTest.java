package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.bs;
import static io.aimstore.server.core.CoreHarness.bytes;
import static io.aimstore.server.core.CoreHarness.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.ErrorCode;
import io.aimstore.server.core.CoreHarness.Cmd;
import io.aimstore.server.core.CoreHarness.Ops;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Put, get and delete with etcd v3 semantics, and the global, gap-free revision counter. */
class KvTest extends CoreTest {
  @Test
  void newStoreIsEmptyAtRevisionZero() {
    assertThat(h.revision()).isZero();
    assertThat(h.store().compactRevision()).isZero();
    assertThat(h.store().appliedIndex()).isZero();
    assertThat(h.all().getKvsList()).isEmpty();
    assertThat(h.get("a")).isNull();
  }

  @Test
  void putCreatesAndUpdatesAKeyWithRevisionsAndVersion() {
    PutResponse p1 = h.put("a", "1");
    assertThat(p1.getHeader().getRevision()).isEqualTo(1);
    assertThat(h.get("a"))
        .isEqualTo(
            KeyValue.newBuilder()
                .setKey(bs("a"))
                .setValue(bs("1"))
                .setCreateRevision(1)
                .setModRevision(1)
                .setVersion(1)
                .build());

    h.put("b", "x");
    PutResponse p3 = h.put("a", "2");
    assertThat(p3.getHeader().getRevision()).isEqualTo(3);
    KeyValue a = h.get("a");
    assertThat(a.getValue()).isEqualTo(bs("2"));
    assertThat(a.getCreateRevision()).isEqualTo(1);
    assertThat(a.getModRevision()).isEqualTo(3);
    assertThat(a.getVersion()).isEqualTo(2);
    assertThat(a.getLease()).isZero();
    assertThat(a.getFenceToken()).isZero();
    assertThat(h.get("b").getCreateRevision()).isEqualTo(2);
    assertThat(h.revision()).isEqualTo(3);
  }

  @Test
  void commandResultCarriesTheRevisionAfterTheCommand() {
    CommandResult r = h.ok(h.putCmd("a", "1"));
    assertThat(r.getRevision()).isEqualTo(1);
    r = h.ok(Cmd.delete("missing"));
    assertThat(r.getRevision()).isEqualTo(1);
    r = h.ok(Cmd.delete("a"));
    assertThat(r.getRevision()).isEqualTo(2);
  }

  @Test
  void deleteEndsAGenerationAndARecreateStartsANewOne() {
    h.put("a", "1");
    h.put("a", "2");
    DeleteRangeResponse d = h.delete("a");
    assertThat(d.getDeleted()).isEqualTo(1);
    assertThat(d.getHeader().getRevision()).isEqualTo(3);
    assertThat(h.get("a")).isNull();

    h.put("a", "3");
    KeyValue a = h.get("a");
    assertThat(a.getCreateRevision()).isEqualTo(4);
    assertThat(a.getModRevision()).isEqualTo(4);
    assertThat(a.getVersion()).isEqualTo(1);
  }

  @Test
  void putReturnsPrevKvOnlyWhenAskedAndOnlyIfTheKeyExisted() {
    PutResponse first =
        h.ok(Cmd.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("1")).setPrevKv(true)))
            .getPut();
    assertThat(first.hasPrevKv()).isFalse();
    KeyValue before = h.get("a");
    PutResponse second =
        h.ok(Cmd.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("2")).setPrevKv(true)))
            .getPut();
    assertThat(second.getPrevKv()).isEqualTo(before);
    PutResponse third = h.put("a", "3");
    assertThat(third.hasPrevKv()).isFalse();
  }

  @Test
  void ignoreValueAndIgnoreLeaseKeepTheCurrentOnes() {
    long lease = h.grant();
    h.put("a", "v1", lease);
    h.ok(Cmd.put(PutRequest.newBuilder().setKey(bs("a")).setIgnoreValue(true).setLease(lease)));
    KeyValue a = h.get("a");
    assertThat(a.getValue()).isEqualTo(bs("v1"));
    assertThat(a.getVersion()).isEqualTo(2);

    h.ok(Cmd.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("v2")).setIgnoreLease(true)));
    a = h.get("a");
    assertThat(a.getValue()).isEqualTo(bs("v2"));
    assertThat(a.getLease()).isEqualTo(lease);
    assertThat(a.getVersion()).isEqualTo(3);
    assertThat(h.store().leaseKeys(lease, 10)).containsExactly(bs("a"));
  }

  static Stream<Arguments> ignoreOnMissingKey() {
    return Stream.of(
        Arguments.of(
            "ignore_value", PutRequest.newBuilder().setKey(bs("nope")).setIgnoreValue(true)),
        Arguments.of(
            "ignore_lease",
            PutRequest.newBuilder().setKey(bs("nope")).setValue(bs("v")).setIgnoreLease(true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ignoreOnMissingKey")
  void ignoreFlagsNeedAnExistingKey(String name, PutRequest.Builder p) {
    h.put("other", "x");
    String msg = h.fails(Cmd.put(p), ErrorCode.NOT_FOUND);
    assertThat(msg).contains("\"nope\"").contains(name);
    assertThat(h.get("nope")).isNull();
  }

  @Test
  void deleteRangeDeletesEveryKeyInOneRevisionAndReturnsPrevKvs() {
    h.put("a", "1");
    h.put("b", "2");
    h.put("b", "2b");
    h.put("c", "3");
    h.put("d", "4");
    KeyValue b = h.get("b");
    KeyValue c = h.get("c");
    CommandResult r =
        h.ok(
            Cmd.delete(
                DeleteRangeRequest.newBuilder()
                    .setKey(bs("b"))
                    .setRangeEnd(bs("d"))
                    .setPrevKv(true)));
    assertThat(r.getRevision()).isEqualTo(6);
    assertThat(r.getDeleteRange().getDeleted()).isEqualTo(2);
    assertThat(r.getDeleteRange().getPrevKvsList()).containsExactly(b, c);
    assertThat(h.keys(h.all())).containsExactly("a", "d");
    // Both tombstones are at revision 6: at 5 both keys are still there.
    assertThat(h.get(bs("b"), 5)).isEqualTo(b);
    assertThat(h.get(bs("c"), 5)).isEqualTo(c);
  }

  @Test
  void deleteWithoutPrevKvReturnsOnlyTheCount() {
    h.put("a", "1");
    DeleteRangeResponse d = h.delete("a");
    assertThat(d.getDeleted()).isEqualTo(1);
    assertThat(d.getPrevKvsList()).isEmpty();
  }

  @Test
  void applyReportsThePutAndDeleteEventsOfEachRevisionWithPrevKv() {
    ApplyResult r1 = h.applyEntry(h.putCmd("a", "1"));
    assertThat(r1.events()).hasSize(1);
    RevisionEvents e1 = r1.events().get(0);
    assertThat(e1.revision()).isEqualTo(1);
    assertThat(e1.events()).hasSize(1);
    assertThat(e1.events().get(0).getType()).isEqualTo(Event.EventType.PUT);
    assertThat(e1.events().get(0).getKv()).isEqualTo(h.get("a"));
    assertThat(e1.events().get(0).hasPrevKv()).isFalse();

    KeyValue before = h.get("a");
    ApplyResult r2 = h.applyEntry(Cmd.delete("a"));
    Event del = r2.events().get(0).events().get(0);
    assertThat(del.getType()).isEqualTo(Event.EventType.DELETE);
    assertThat(del.getKv().getKey()).isEqualTo(bs("a"));
    assertThat(del.getKv().getModRevision()).isEqualTo(2);
    assertThat(del.getPrevKv()).isEqualTo(before);

    ApplyResult r3 = h.applyEntry(Cmd.delete("a"));
    assertThat(r3.events()).isEmpty();
  }

  // ---- the revision counter ------------------------------------------------------------------

  /** A case of the revision table: what to set up, then the command under test. */
  record RevCase(String name, Function<CoreHarness, Command> setupAndCommand, long bump) {
    @Override
    public String toString() {
      return name + " → +" + bump;
    }
  }

  static Stream<RevCase> revisionCases() {
    return Stream.of(
        new RevCase("put of a new key", x -> Cmd.put("new", "v"), 1),
        new RevCase("put of an existing key", x -> Cmd.put("k1", "v"), 1),
        new RevCase("delete of one key", x -> Cmd.delete("k1"), 1),
        new RevCase(
            "delete of a range of two keys",
            x -> Cmd.delete(DeleteRangeRequest.newBuilder().setKey(bs("k")).setRangeEnd(bs("l"))),
            1),
        new RevCase("delete of a missing key", x -> Cmd.delete("missing"), 0),
        new RevCase(
            "delete of an empty range",
            x -> Cmd.delete(DeleteRangeRequest.newBuilder().setKey(bs("x")).setRangeEnd(bs("y"))),
            0),
        new RevCase("put with an unknown lease (fails)", x -> Cmd.put("k1", "v", 999), 0),
        new RevCase("lease grant", x -> Cmd.grant(0, 10), 0),
        new RevCase("revoke of a lease without keys", x -> Cmd.revoke(x.grant()), 0),
        new RevCase(
            "revoke of a lease with three keys",
            x -> {
              long l = x.grant();
              x.put("l1", "v", l);
              x.put("l2", "v", l);
              x.put("l3", "v", l);
              return Cmd.revoke(l);
            },
            1),
        new RevCase("revoke of an unknown lease (fails)", x -> Cmd.revoke(12345), 0),
        new RevCase("lease checkpoint", x -> Cmd.checkpoint(x.grant(), 500), 0),
        new RevCase("compaction", x -> Cmd.compact(x.revision()), 0),
        new RevCase(
            "txn with only reads",
            x -> Cmd.txn(TxnRequest.newBuilder().addSuccess(Ops.get("k1"))),
            0),
        new RevCase("empty txn", x -> Cmd.txn(TxnRequest.newBuilder()), 0),
        new RevCase(
            "txn with three writes",
            x ->
                Cmd.txn(
                    TxnRequest.newBuilder()
                        .addSuccess(Ops.put("t1", "v"))
                        .addSuccess(Ops.put("t2", "v"))
                        .addSuccess(Ops.delete("k1"))),
            1),
        new RevCase(
            "txn whose failure branch writes",
            x ->
                Cmd.txn(
                    TxnRequest.newBuilder()
                        .addCompare(Ops.value("k1", Compare.CompareResult.EQUAL, "nope"))
                        .addSuccess(Ops.put("t1", "v"))
                        .addFailure(Ops.put("t2", "v"))),
            1),
        new RevCase(
            "txn that deletes nothing",
            x -> Cmd.txn(TxnRequest.newBuilder().addSuccess(Ops.delete("missing"))),
            0),
        new RevCase(
            "txn with a duplicate put (fails)",
            x ->
                Cmd.txn(
                    TxnRequest.newBuilder()
                        .addSuccess(Ops.put("t1", "v"))
                        .addSuccess(Ops.put("t1", "w"))),
            0),
        new RevCase("lock acquire (writes a claim)", x -> Cmd.acquire("L", x.grant()), 1),
        new RevCase(
            "lock acquire again by the same lease",
            x -> {
              long l = x.grant();
              x.acquire("L", l);
              return Cmd.acquire("L", l);
            },
            0),
        new RevCase("lock release", x -> Cmd.release("L", x.acquire("L", x.grant()).getToken()), 1),
        new RevCase("lock release of an unknown token", x -> Cmd.release("L", 77), 0),
        new RevCase("empty command (fails)", x -> Command.getDefaultInstance(), 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("revisionCases")
  void onlyCommandsThatChangeTheKeyspaceBumpTheRevisionByExactlyOne(RevCase c) {
    h.put("k1", "v");
    h.put("k2", "v");
    Command cmd = c.setupAndCommand().apply(h);
    long before = h.revision();
    ApplyResult r = h.applyEntry(cmd);
    assertThat(h.revision()).isEqualTo(before + c.bump());
    assertThat(r.results().get(0).getRevision()).isEqualTo(before + c.bump());
    assertThat(r.events()).hasSize((int) c.bump());
    if (c.bump() == 1) {
      assertThat(r.events().get(0).revision()).isEqualTo(before + 1);
    }
    // The next write lands right after: no gap.
    assertThat(h.put("after", "x").getHeader().getRevision()).isEqualTo(before + c.bump() + 1);
  }

  @Test
  void revisionsAreGapFreeOverAMixedHistory() {
    List<Long> seen = new ArrayList<>();
    long lease = h.grant();
    for (int i = 0; i < 20; i++) {
      CommandResult r =
          switch (i % 5) {
            case 0 -> h.ok(h.putCmd("k" + i, "v"));
            case 1 -> h.ok(Cmd.delete("k" + (i - 1)));
            case 2 -> h.ok(Cmd.delete("never"));
            case 3 -> h.ok(Cmd.put("l" + i, "v", lease));
            default -> h.apply(Cmd.put("x", "v", 4711));
          };
      seen.add(r.getRevision());
    }
    // puts and effective deletes bump, the others do not
    assertThat(seen)
        .containsExactly(
            1L, 2L, 2L, 3L, 3L, 4L, 5L, 5L, 6L, 6L, 7L, 8L, 8L, 9L, 9L, 10L, 11L, 11L, 12L, 12L);
  }

  // ---- binary keys ---------------------------------------------------------------------------

  /** Keys with 0x00 and 0xFF bytes, in unsigned byte order. */
  static final List<ByteString> BINARY_KEYS =
      List.of(
          bytes(0x00),
          bytes(0x00, 0x00),
          bytes(0x00, 0x01),
          bytes(0x00, 0xFF),
          bytes(0x01),
          bytes('a'),
          bytes('a', 0x00),
          bytes('a', 0x00, 0x00),
          bytes('a', 0x00, 0x01),
          bytes('a', 0x00, 0xFF),
          bytes('a', 0x01),
          bytes('a', 'b'),
          bytes('a', 0xFE),
          bytes('a', 0xFF),
          bytes('a', 0xFF, 0x00),
          bytes('a', 0xFF, 0xFF),
          bytes('b'),
          bytes(0xFF),
          bytes(0xFF, 0x00),
          bytes(0xFF, 0xFF));

  @Test
  void binaryKeysSortInUnsignedByteOrder() {
    List<ByteString> shuffled = new ArrayList<>(BINARY_KEYS);
    Collections.shuffle(shuffled, new Random(7));
    for (ByteString k : shuffled) {
      h.put(k, ByteString.copyFromUtf8("v" + hex(k)));
    }
    assertThat(hex(h.all().getKvsList()))
        .containsExactlyElementsOf(BINARY_KEYS.stream().map(CoreHarness::hex).toList());
    for (ByteString k : BINARY_KEYS) {
      KeyValue kv = h.get(k, 0);
      assertThat(kv).as(hex(k)).isNotNull();
      assertThat(kv.getKey()).isEqualTo(k);
      assertThat(kv.getValue()).isEqualTo(ByteString.copyFromUtf8("v" + hex(k)));
      assertThat(kv.getVersion()).isEqualTo(1);
    }
  }

  static Stream<Arguments> binaryRanges() {
    return Stream.of(
        // prefix "a": everything starting with 'a', including a\0... and a\xFF...
        Arguments.of(bytes('a'), KeyRanges.prefixEnd(bytes('a')), 5, 16),
        // prefix "a\0": a\0, a\0\0, a\0\x01, a\0\xFF
        Arguments.of(bytes('a', 0x00), KeyRanges.prefixEnd(bytes('a', 0x00)), 6, 10),
        // prefix "a\xFF": prefixEnd is "b"
        Arguments.of(bytes('a', 0xFF), KeyRanges.prefixEnd(bytes('a', 0xFF)), 13, 16),
        // prefix "\xFF": prefixEnd is "\0" = everything from \xFF
        Arguments.of(bytes(0xFF), KeyRanges.prefixEnd(bytes(0xFF)), 17, 20),
        // prefix "\0": \0, \0\0, \0\x01, \0\xFF
        Arguments.of(bytes(0x00), KeyRanges.prefixEnd(bytes(0x00)), 0, 4),
        // [a, a\0) is exactly "a"
        Arguments.of(bytes('a'), bytes('a', 0x00), 5, 6),
        // [a\0, a\x01) are the keys a\0...
        Arguments.of(bytes('a', 0x00), bytes('a', 0x01), 6, 10),
        // [\0\0, \x01) skips the single \0
        Arguments.of(bytes(0x00, 0x00), bytes(0x01), 1, 4),
        // from a\xFF\0 to the end
        Arguments.of(bytes('a', 0xFF, 0x00), KeyRanges.ALL_FROM_KEY, 14, 20),
        // single key lookups
        Arguments.of(bytes('a', 0x00, 0x00), ByteString.EMPTY, 7, 8),
        Arguments.of(bytes(0xFF, 0xFF), ByteString.EMPTY, 19, 20),
        // a missing key between existing ones
        Arguments.of(bytes('a', 0x00, 0x02), ByteString.EMPTY, 0, 0));
  }

  @ParameterizedTest
  @MethodSource("binaryRanges")
  void rangesOverBinaryKeysFollowUnsignedOrder(
      ByteString key, ByteString end, int fromIndex, int toIndex) {
    for (ByteString k : BINARY_KEYS) {
      h.put(k, bs("v"));
    }
    var r = h.range(RangeRequest.newBuilder().setKey(key).setRangeEnd(end));
    assertThat(hex(r.getKvsList()))
        .containsExactlyElementsOf(
            BINARY_KEYS.subList(fromIndex, toIndex).stream().map(CoreHarness::hex).toList());
    assertThat(r.getCount()).isEqualTo(toIndex - fromIndex);
  }

  @Test
  void deletingABinaryKeyLeavesItsNeighboursAlone() {
    for (ByteString k : BINARY_KEYS) {
      h.put(k, bs("v"));
    }
    h.ok(Cmd.delete(DeleteRangeRequest.newBuilder().setKey(bytes('a', 0x00))));
    h.ok(Cmd.delete(DeleteRangeRequest.newBuilder().setKey(bytes(0xFF))));
    assertThat(h.get(bytes('a', 0x00), 0)).isNull();
    assertThat(h.get(bytes(0xFF), 0)).isNull();
    assertThat(h.get(bytes('a'), 0)).isNotNull();
    assertThat(h.get(bytes('a', 0x00, 0x00), 0)).isNotNull();
    assertThat(h.get(bytes(0xFF, 0x00), 0)).isNotNull();
    assertThat(h.all().getCount()).isEqualTo(BINARY_KEYS.size() - 2);
  }

  static Stream<ByteString> escapeCases() {
    return Stream.concat(BINARY_KEYS.stream(), Stream.of(bytes(0, 0, 0, 0), bytes(0, 1, 0, 1)));
  }

  @ParameterizedTest
  @MethodSource("escapeCases")
  void keyEscapingRoundTripsAndKeepsVersionsOfAKeyTogether(ByteString key) {
    byte[] escaped = Keys.escape(key.toByteArray());
    assertThat(Keys.unescape(escaped, escaped.length)).isEqualTo(key.toByteArray());
    byte[] v = Keys.version(escaped, 42);
    assertThat(Keys.revisionOf(v)).isEqualTo(42);
    assertThat(Keys.userKeyOf(v)).isEqualTo(key.toByteArray());
    assertThat(Keys.escapedPart(v)).isEqualTo(escaped);
    // no other key's escaped form starts with this one (prefix-free), and order is preserved
    for (ByteString other : BINARY_KEYS) {
      if (other.equals(key)) {
        continue;
      }
      byte[] o = Keys.escape(other.toByteArray());
      assertThat(Keys.startsWith(o, escaped)).as(hex(other)).isFalse();
      int userOrder =
          Integer.signum(ByteString.unsignedLexicographicalComparator().compare(key, other));
      assertThat(Integer.signum(java.util.Arrays.compareUnsigned(v, Keys.version(o, 1))))
          .as("order of %s vs %s", hex(key), hex(other))
          .isEqualTo(userOrder);
    }
  }
}
