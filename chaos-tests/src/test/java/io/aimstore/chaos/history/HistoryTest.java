package io.aimstore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

  private static Operation op(
      int process, OpKind kind, List<Access> input, List<Object> output, Outcome outcome) {
    return new Operation(process, kind, input, output, 10, 20, outcome, 0);
  }

  private static Operation read(String key, Object value) {
    return op(0, OpKind.READ, List.of(Access.read(key)), Arrays.asList(value), Outcome.OK);
  }

  private static Operation write(String key, Object value) {
    return op(
        0,
        OpKind.WRITE,
        List.of(Access.write(key, value)),
        Arrays.asList((Object) null),
        Outcome.OK);
  }

  private static Operation txn(Access... input) {
    return op(0, OpKind.TXN, List.of(input), List.of(), Outcome.INFO);
  }

  @Test
  void roundTripsThroughJsonLines(@TempDir Path dir) throws IOException {
    History history =
        new History(
            List.of(
                read("x", null),
                read("x", "quote \" backslash \\ newline \n tab \t bell \u0007 é ✓"),
                write("counter", -42L),
                new Operation(
                    3,
                    OpKind.CAS,
                    List.of(Access.cas("x", null, "a")),
                    List.of(true),
                    100,
                    250,
                    Outcome.OK,
                    7),
                op(1, OpKind.DELETE, List.of(Access.delete("y")), List.of(), Outcome.FAIL),
                new Operation(
                    2,
                    OpKind.TXN,
                    List.of(Access.read("x"), Access.write("y", 5L), Access.cas("z", 1L, 2L)),
                    Arrays.asList("a", null, false),
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    Outcome.OK,
                    Long.MAX_VALUE),
                txn(Access.write("a", "1"), Access.delete("b"))));
    Path file = dir.resolve("history.jsonl");

    history.write(file);
    History back = History.read(file);

    assertThat(back).isEqualTo(history);
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
        .hasSize(7)
        .contains(
            "{\"process\":3,\"kind\":\"CAS\",\"input\":[{\"kind\":\"CAS\",\"key\":\"x\","
                + "\"value\":\"a\"}],\"output\":[true],\"invoke\":100,\"complete\":250,"
                + "\"outcome\":\"OK\",\"revision\":7}");
  }

  @Test
  void readNamesTheBadLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file,
        "\n{\"process\":1,\"kind\":\"READ\",\"input\":[{\"kind\":\"READ\",\"key\":\"x\"}],"
            + "\"output\":[1.5],\"invoke\":1,\"complete\":2,\"outcome\":\"OK\",\"revision\":0}\n");

    assertThatThrownBy(() -> History.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.jsonl:2:");
  }

  @Test
  void splitsByKeyKeepingKeysThatTransactionsTieTogether() {
    Operation x = read("x", null);
    Operation y = write("y", 1L);
    Operation z = read("z", 1L);
    Operation xy = txn(Access.write("x", 1L), Access.write("y", 2L));
    Operation w = write("w", "1");
    Operation zv = txn(Access.read("z"), Access.write("v", 1L));
    History history = new History(List.of(x, y, z, xy, w, zv));

    List<History> parts = history.splitByKey();

    assertThat(parts)
        .containsExactly(
            new History(List.of(z, zv)), new History(List.of(w)), new History(List.of(x, y, xy)));
    assertThat(parts.get(2).keys()).containsExactly("x", "y");
  }

  @Test
  void splitsSingleKeyOperationsOnePartPerKey() {
    History history = new History(List.of(read("b", null), read("a", null), write("b", 1L)));

    assertThat(history.splitByKey())
        .extracting(History::keys)
        .containsExactly(Set.of("a"), Set.of("b"));
  }

  @Test
  void indeterminateOperationsMayTakeEffectForever() {
    Operation info = op(0, OpKind.WRITE, List.of(Access.write("x", 1L)), List.of(), Outcome.INFO);

    assertThat(info.latestEffectNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(write("x", 1L).latestEffectNanos()).isEqualTo(20);
  }

  @Test
  void printsOperationsForPeople() {
    Operation cas =
        new Operation(
            3,
            OpKind.CAS,
            List.of(Access.cas("x", "a", 2L)),
            List.of(true),
            100,
            250,
            Outcome.OK,
            7);

    assertThat(cas).hasToString("p3 cas x \"a\"->2 => true (OK, 100..250, rev 7)");
    assertThat(txn(Access.read("x"), Access.delete("y")))
        .hasToString("p0 txn[r x; del y] (INFO, 10..inf)");
    assertThat(read("x", null)).hasToString("p0 r x => nil (OK, 10..20)");
  }

  @Test
  void rejectsMalformedOperations() {
    List<Access> readX = List.of(Access.read("x"));
    assertThatThrownBy(() -> op(0, OpKind.READ, readX, List.of(), Outcome.OK))
        .hasMessageContaining("outputs");
    assertThatThrownBy(() -> op(0, OpKind.READ, readX, List.of(1L), Outcome.INFO))
        .hasMessageContaining("INFO operation with output");
    assertThatThrownBy(() -> op(0, OpKind.WRITE, readX, Arrays.asList((Object) null), Outcome.OK))
        .hasMessageContaining("WRITE with input");
    assertThatThrownBy(() -> op(0, OpKind.READ, readX, List.of(1), Outcome.OK))
        .hasMessageContaining("strings or longs");
    assertThatThrownBy(
            () -> op(0, OpKind.CAS, List.of(Access.cas("x", 1L, 2L)), List.of(1L), Outcome.OK))
        .hasMessageContaining("boolean");
    assertThatThrownBy(() -> new Operation(0, OpKind.READ, readX, List.of(1L), 5, 4, Outcome.OK, 0))
        .hasMessageContaining("completes at 4");
    assertThatThrownBy(() -> Access.write("x", null)).hasMessageContaining("value null");
    assertThatThrownBy(() -> new Access(OpKind.TXN, "x", null, null)).hasMessageContaining("TXN");
    assertThatThrownBy(() -> new Access(OpKind.READ, "x", 1L, null))
        .hasMessageContaining("expected value");
  }

  @Test
  void keyRangesSelectKeys() {
    assertThat(KeyRange.single("a").contains("a")).isTrue();
    assertThat(KeyRange.single("a").contains("a0")).isFalse();
    assertThat(KeyRange.prefix("cfg/").contains("cfg/drone1")).isTrue();
    assertThat(KeyRange.prefix("cfg/").contains("cfg0")).isFalse();
    assertThat(KeyRange.prefix("cfg/").contains("cfg")).isFalse();
    assertThat(KeyRange.prefix("")).isEqualTo(new KeyRange("", null));
    assertThat(new KeyRange("b", null).contains("zzz")).isTrue();
    assertThatThrownBy(() -> new KeyRange("b", "a")).hasMessageContaining("empty range");
  }
}
