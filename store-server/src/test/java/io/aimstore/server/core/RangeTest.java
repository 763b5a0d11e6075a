package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeRequest.SortOrder;
import io.aimstore.api.v1.RangeRequest.SortTarget;
import io.aimstore.api.v1.RangeResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Range reads: range_end conventions, prefixes, limit/more/count, sorting, keys_only, count_only.
 */
class RangeTest extends CoreTest {
  private static final List<String> KEYS = List.of("a", "ab", "abc", "b", "ba", "c", "d/1", "d/2");

  private void putKeys() {
    for (String k : KEYS) {
      h.put(k, "v-" + k);
    }
  }

  static Stream<Arguments> ranges() {
    return Stream.of(
        Arguments.of("single key", "ab", "", List.of("ab")),
        Arguments.of("single missing key", "aa", "", List.of()),
        Arguments.of("[a, b)", "a", "b", List.of("a", "ab", "abc")),
        Arguments.of("[ab, ba) end is exclusive", "ab", "ba", List.of("ab", "abc", "b")),
        Arguments.of("[ab, ba\\0) includes ba", "ab", "ba\0", List.of("ab", "abc", "b", "ba")),
        Arguments.of("[b, \\0) all from b", "b", "\0", List.of("b", "ba", "c", "d/1", "d/2")),
        Arguments.of("[\"\", \\0) everything", "", "\0", KEYS),
        Arguments.of("[aa, ac) between keys", "aa", "ac", List.of("ab", "abc")),
        Arguments.of("end before key", "c", "b", List.of()),
        Arguments.of("end equals key", "b", "b", List.of()),
        Arguments.of("past the last key", "e", "\0", List.of()),
        Arguments.of("[\"\", b) from the start", "", "b", List.of("a", "ab", "abc")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void rangeEndIsExclusiveAndNulMeansEverythingFromKey(
      String name, String key, String end, List<String> expected) {
    putKeys();
    RangeResponse r = h.range(between(key, end));
    assertThat(h.keys(r)).containsExactlyElementsOf(expected);
    assertThat(r.getCount()).isEqualTo(expected.size());
    assertThat(r.getMore()).isFalse();
    assertThat(r.getHeader().getRevision()).isEqualTo(KEYS.size());
    for (KeyValue kv : r.getKvsList()) {
      assertThat(kv.getValue()).isEqualTo(bs("v-" + kv.getKey().toStringUtf8()));
    }
  }

  static Stream<Arguments> prefixes() {
    return Stream.of(
        Arguments.of("a", List.of("a", "ab", "abc")),
        Arguments.of("ab", List.of("ab", "abc")),
        Arguments.of("b", List.of("b", "ba")),
        Arguments.of("d/", List.of("d/1", "d/2")),
        Arguments.of("x", List.of()));
  }

  @ParameterizedTest(name = "prefix {0}")
  @MethodSource("prefixes")
  void prefixScansWithPrefixEnd(String prefix, List<String> expected) {
    putKeys();
    RangeResponse r =
        h.range(
            RangeRequest.newBuilder()
                .setKey(bs(prefix))
                .setRangeEnd(KeyRanges.prefixEnd(bs(prefix))));
    assertThat(h.keys(r)).containsExactlyElementsOf(expected);
  }

  @Test
  void prefixEndOfAllFfIsEverythingFromKey() {
    assertThat(KeyRanges.prefixEnd(CoreHarness.bytes(0xFF, 0xFF)))
        .isEqualTo(KeyRanges.ALL_FROM_KEY);
    assertThat(KeyRanges.prefixEnd(CoreHarness.bytes('a', 0xFF))).isEqualTo(bs("b"));
    assertThat(KeyRanges.prefixEnd(ByteString.EMPTY)).isEqualTo(KeyRanges.ALL_FROM_KEY);
  }

  static Stream<Arguments> limits() {
    return Stream.of(
        Arguments.of(0L, List.of("a", "ab", "abc", "b", "ba"), false),
        Arguments.of(1L, List.of("a"), true),
        Arguments.of(2L, List.of("a", "ab"), true),
        Arguments.of(4L, List.of("a", "ab", "abc", "b"), true),
        Arguments.of(5L, List.of("a", "ab", "abc", "b", "ba"), false),
        Arguments.of(100L, List.of("a", "ab", "abc", "b", "ba"), false));
  }

  @ParameterizedTest(name = "limit {0}")
  @MethodSource("limits")
  void limitCutsTheResultAndSetsMoreButCountIsTheWholeRange(
      long limit, List<String> expected, boolean more) {
    putKeys();
    RangeResponse r = h.range(between("a", "c").setLimit(limit));
    assertThat(h.keys(r)).containsExactlyElementsOf(expected);
    assertThat(r.getMore()).isEqualTo(more);
    assertThat(r.getCount()).isEqualTo(5);
  }

  /**
   * Four keys whose key, create, mod, version and value orders are five different permutations:
   *
   * <pre>
   *        create  mod  version  value
   *   a      2     10      3      "4"
   *   b      4      7      2      "1"
   *   c      3      3      1      "3"
   *   d      1      9      4      "2"
   * </pre>
   */
  private void putSortData() {
    String[][] puts = {
      {"d", "2"}, {"a", "4"}, {"c", "3"}, {"b", "1"}, {"d", "2"},
      {"d", "2"}, {"b", "1"}, {"a", "4"}, {"d", "2"}, {"a", "4"}
    };
    for (String[] p : puts) {
      h.put(p[0], p[1]);
    }
    assertThat(h.get("a").getModRevision()).isEqualTo(10);
    assertThat(h.get("d").getVersion()).isEqualTo(4);
    assertThat(h.get("b").getCreateRevision()).isEqualTo(4);
  }

  static Stream<Arguments> sorts() {
    return Stream.of(
        Arguments.of(SortOrder.NONE, SortTarget.KEY, List.of("a", "b", "c", "d")),
        Arguments.of(SortOrder.ASCEND, SortTarget.KEY, List.of("a", "b", "c", "d")),
        Arguments.of(SortOrder.DESCEND, SortTarget.KEY, List.of("d", "c", "b", "a")),
        Arguments.of(SortOrder.ASCEND, SortTarget.CREATE, List.of("d", "a", "c", "b")),
        Arguments.of(SortOrder.DESCEND, SortTarget.CREATE, List.of("b", "c", "a", "d")),
        Arguments.of(SortOrder.ASCEND, SortTarget.MOD, List.of("c", "b", "d", "a")),
        Arguments.of(SortOrder.DESCEND, SortTarget.MOD, List.of("a", "d", "b", "c")),
        Arguments.of(SortOrder.ASCEND, SortTarget.VERSION, List.of("c", "b", "a", "d")),
        Arguments.of(SortOrder.DESCEND, SortTarget.VERSION, List.of("d", "a", "b", "c")),
        Arguments.of(SortOrder.ASCEND, SortTarget.VALUE, List.of("b", "d", "c", "a")),
        Arguments.of(SortOrder.DESCEND, SortTarget.VALUE, List.of("a", "c", "d", "b")),
        // etcd: no order but a non-key target sorts ascending
        Arguments.of(SortOrder.NONE, SortTarget.MOD, List.of("c", "b", "d", "a")),
        Arguments.of(SortOrder.NONE, SortTarget.VALUE, List.of("b", "d", "c", "a")));
  }

  /** The sort data's four keys, sorted by {@code target} in {@code order}. */
  static RangeRequest.Builder sorted(SortOrder order, SortTarget target) {
    return between("a", "e").setSortOrder(order).setSortTarget(target);
  }

  /** Keys from {@code key} up to, but not including, {@code end}. */
  static RangeRequest.Builder between(String key, String end) {
    return RangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(end));
  }

  @ParameterizedTest(name = "{0} by {1}")
  @MethodSource("sorts")
  void sortOrdersAndTargets(SortOrder order, SortTarget target, List<String> expected) {
    putSortData();
    RangeResponse r = h.range(sorted(order, target));
    assertThat(h.keys(r)).containsExactlyElementsOf(expected);
    assertThat(r.getCount()).isEqualTo(4);
  }

  static Stream<Arguments> revisionFilters() {
    // sort data: create a2 b4 c3 d1, mod a10 b7 c3 d9
    return Stream.of(
        Arguments.of(
            "min mod 8", RangeRequest.newBuilder().setMinModRevision(8), List.of("a", "d")),
        Arguments.of(
            "max mod 7", RangeRequest.newBuilder().setMaxModRevision(7), List.of("b", "c")),
        Arguments.of(
            "min create 2",
            RangeRequest.newBuilder().setMinCreateRevision(2),
            List.of("a", "b", "c")),
        Arguments.of(
            "max create 3",
            RangeRequest.newBuilder().setMaxCreateRevision(3),
            List.of("a", "c", "d")),
        Arguments.of(
            "create 2..3 and mod >= 4",
            RangeRequest.newBuilder()
                .setMinCreateRevision(2)
                .setMaxCreateRevision(3)
                .setMinModRevision(4),
            List.of("a")),
        Arguments.of("nothing passes", RangeRequest.newBuilder().setMinModRevision(11), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("revisionFilters")
  void revisionFiltersShapeKvsButCountIsTheWholeRange(
      String name, RangeRequest.Builder filter, List<String> expected) {
    putSortData();
    RangeResponse r = h.range(filter.setKey(bs("a")).setRangeEnd(bs("e")));
    assertThat(h.keys(r)).containsExactlyElementsOf(expected);
    assertThat(r.getCount()).isEqualTo(4);
    assertThat(r.getMore()).isFalse();
  }

  @Test
  void lastCreatedBelowARevisionIsTheMutexWaitQuery() {
    // etcd's lock recipe waits on the newest key created before its own: sort by create,
    // descending, limit 1, max_create_revision = own - 1
    putSortData();
    RangeResponse r =
        h.range(
            RangeRequest.newBuilder()
                .setKey(bs("a"))
                .setRangeEnd(bs("e"))
                .setSortTarget(SortTarget.CREATE)
                .setSortOrder(SortOrder.DESCEND)
                .setMaxCreateRevision(3)
                .setLimit(1));
    assertThat(h.keys(r)).containsExactly("c");
    assertThat(r.getMore()).isTrue();
    assertThat(r.getCount()).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0} by {1}, limit 2")
  @MethodSource("sorts")
  void limitAppliesAfterSorting(SortOrder order, SortTarget target, List<String> expected) {
    putSortData();
    RangeResponse r = h.range(sorted(order, target).setLimit(2));
    assertThat(h.keys(r)).containsExactlyElementsOf(expected.subList(0, 2));
    assertThat(r.getMore()).isTrue();
    assertThat(r.getCount()).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0} by {1}, keys only")
  @MethodSource("sorts")
  void keysOnlyDropsValuesButSortsAndKeepsMetadata(
      SortOrder order, SortTarget target, List<String> expected) {
    putSortData();
    RangeResponse full = h.range(sorted(order, target));
    RangeResponse keysOnly = h.range(sorted(order, target).setKeysOnly(true));
    assertThat(h.keys(keysOnly)).containsExactlyElementsOf(expected);
    assertThat(keysOnly.getKvsList())
        .containsExactlyElementsOf(
            full.getKvsList().stream().map(kv -> kv.toBuilder().clearValue().build()).toList());
    assertThat(keysOnly.getKvsList()).allSatisfy(kv -> assertThat(kv.getValue()).isEmpty());
  }

  @Test
  void countOnlyReturnsTheCountAndNoKeys() {
    putKeys();
    RangeResponse r = h.range(between("a", "c").setCountOnly(true).setLimit(2));
    assertThat(r.getKvsList()).isEmpty();
    assertThat(r.getCount()).isEqualTo(5);
    assertThat(r.getMore()).isFalse();
  }

  @Test
  void deletedKeysAreNotInRangesOrCounts() {
    putKeys();
    h.delete("ab");
    h.delete("d/1");
    RangeResponse r = h.all();
    assertThat(h.keys(r)).containsExactly("a", "abc", "b", "ba", "c", "d/2");
    assertThat(r.getCount()).isEqualTo(6);
    assertThat(h.keys(h.range(between("a", "b").setLimit(2)))).containsExactly("a", "abc");
  }

  @Test
  void keysWithManyVersionsAppearOnceWithTheirLatestVersion() {
    for (int i = 0; i < 5; i++) {
      h.put("a", "a" + i);
      h.put("b", "b" + i);
    }
    RangeResponse r = h.all();
    assertThat(h.keys(r)).containsExactly("a", "b");
    assertThat(r.getKvs(0).getValue()).isEqualTo(bs("a4"));
    assertThat(r.getKvs(0).getVersion()).isEqualTo(5);
    assertThat(r.getKvs(1).getModRevision()).isEqualTo(10);
  }

  @Test
  void readAtRevisionZeroIsTheCurrentRevision() {
    putKeys();
    assertThat(h.range(between("a", "\0")))
        .isEqualTo(h.range(between("a", "\0").setRevision(h.revision())));
  }
}
