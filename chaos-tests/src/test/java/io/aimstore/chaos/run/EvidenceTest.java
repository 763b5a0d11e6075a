package io.aimstore.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.chaos.check.WatchViolation;
import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.FencedWrite;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.KeyRange;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.StoredValue;
import io.aimstore.chaos.history.WatchEvent;
import io.aimstore.chaos.history.WatchLog;
import io.aimstore.chaos.history.WatchMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceTest {
  @TempDir Path dir;

  private static Operation write(String key, String value, long from, long to, long rev) {
    return Operation.ok(0, Access.write(key, value), null, from, to, rev);
  }

  private static Operation read(String key, String value, long from, long to) {
    return Operation.ok(1, Access.read(key), value, from, to, 0);
  }

  private static WatchLog watcher(WatchEvent... events) {
    return new WatchLog(
        "w0",
        KeyRange.prefix("/r/"),
        1,
        Arrays.stream(events)
            .map(e -> (WatchMessage) new WatchMessage.Events(List.of(e)))
            .toList());
  }

  @Test
  void aPutSeenAtTwoRevisionsIsReportedAsAppliedTwice() {
    List<WatchViolation> v =
        Evidence.appliedTwice(
            List.of(
                watcher(WatchEvent.put(3, "/r/k", "a"), WatchEvent.put(5, "/r/k", "a")),
                watcher(WatchEvent.put(3, "/r/k", "a"), WatchEvent.put(5, "/r/k", "a"))));
    assertThat(v).hasSize(1);
    assertThat(v.get(0).detail()).contains("applied twice, at revisions 3 and 5");
    assertThat(
            Evidence.appliedTwice(
                List.of(watcher(WatchEvent.put(3, "/r/k", "a"), WatchEvent.put(4, "/r/j", "a")))))
        .isEmpty();
  }

  @Test
  void aCleanRunPassesEveryCheckerAndSurvivesSavingAndLoading() throws IOException {
    Evidence e =
        new Evidence(
            new History(List.of(write("/r/k", "a", 0, 10, 2), read("/r/k", "a", 20, 30))),
            Map.of("/r/k", new StoredValue("a", 2), "/chaos/counter/l", new StoredValue("1", 3)),
            List.of(WatchEvent.put(2, "/r/k", "a")),
            List.of(watcher(WatchEvent.put(2, "/r/k", "a"))),
            List.of(new FencedWrite("l", 1, 0, 0, 1, 3)));
    e.save(dir);
    Evidence back = Evidence.load(dir);
    Evidence.Findings f = back.check(Duration.ofSeconds(10), List.of());

    assertThat(back.counters()).containsEntry("l", 1L);
    assertThat(f.linearizability().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(f.lost()).isEmpty();
    assertThat(f.watch()).isEmpty();
    assertThat(f.lock()).isEmpty();
  }

  @Test
  void aStaleReadAndALostWriteAreFound() {
    Evidence e =
        new Evidence(
            new History(
                List.of(
                    write("/r/k", "a", 0, 10, 2),
                    write("/r/k", "b", 20, 30, 3),
                    read("/r/k", "a", 40, 50))),
            Map.of("/r/k", new StoredValue("a", 2)),
            List.of(),
            List.of(),
            List.of());
    Evidence.Findings f = e.check(Duration.ofSeconds(10), List.of());
    assertThat(f.linearizability().verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(f.lost()).hasSize(1);
  }
}
