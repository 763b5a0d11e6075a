package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.RangeRequest;
import io.aimstore.server.core.CoreHarness.Cmd;
import io.aimstore.server.storage.Table;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * History that a compaction removed costs later reads nothing: they step through as many stored
 * entries as on a store that never had that history. Counted by RocksDB, not timed. Before the
 * compactor deleted runs of history as ranges, each lock operation after a compaction stepped
 * through every deleted version of its claim, several times (about 25 entries per compacted cycle
 * for each later cycle).
 */
class CompactedHistoryTest extends CoreTest {
  private static final int HISTORY = 1_000;
  private static final int CYCLES = 50;

  @Test
  void aLockCycleAfterCompactingItsHistoryStepsAsFewEntriesAsBefore() {
    long lease = h.grant();
    cycles(lease, CYCLES);
    long before = stepsPerCycle(lease);
    cycles(lease, HISTORY);
    compactAll();
    assertThat(stepsPerCycle(lease)).isLessThanOrEqualTo(before + 4);
  }

  @Test
  void claimsOfManyFinishedLeasesCostNothingOnceCompacted() {
    long lease = h.grant();
    cycles(lease, CYCLES);
    long before = stepsPerCycle(lease);
    for (int i = 0; i < HISTORY / 2; i++) { // each a claim key of its own, then gone
      long other = h.grant();
      h.acquire("L", other);
      h.revoke(other);
    }
    compactAll();
    assertThat(stepsPerCycle(lease)).isLessThanOrEqualTo(before + 4);
  }

  @Test
  void aCompactionStepsOverTheEventsAnEarlierOneRemovedInOneMove() {
    for (int i = 0; i < HISTORY; i++) {
      h.put("k" + (i % 10), "v" + i);
    }
    compactAll();
    h.put("k0", "again");
    long steps = h.backend().entriesSteppedDuring(() -> h.compact(h.revision()));
    assertThat(steps).isLessThan(20);
  }

  @Test
  void aRangeOverDeletedKeysStepsOnlyOverWhatIsLeft() {
    for (int i = 0; i < HISTORY; i++) {
      h.put(String.format("dir/%05d", i), "v");
      h.put(String.format("dir/%05d", i), "w");
    }
    h.deleteRange(bs("dir/"), bs("dir0"));
    h.put("dir/live", "v");
    compactAll();
    RangeRequest.Builder dir = RangeRequest.newBuilder().setKey(bs("dir/")).setRangeEnd(bs("dir0"));
    long steps =
        h.backend().entriesSteppedDuring(() -> assertThat(h.keys(h.range(dir))).hasSize(1));
    assertThat(steps).isLessThan(20);
    assertThat(h.rows(Table.KV)).as("dir/live only").isEqualTo(1);
  }

  private void compactAll() {
    h.compact(h.revision());
    h.backend().awaitFlushes(Duration.ofSeconds(30));
  }

  private void cycles(long lease, int n) {
    for (int i = 0; i < n; i++) {
      long token = h.acquire("L", lease).getToken();
      h.ok(Cmd.release("L", token));
    }
  }

  private long stepsPerCycle(long lease) {
    return h.backend().entriesSteppedDuring(() -> cycles(lease, CYCLES)) / CYCLES;
  }
}
