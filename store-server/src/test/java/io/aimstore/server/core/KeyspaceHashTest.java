package io.aimstore.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimstore.internal.ErrorReason;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyspace hash (etcd's HashKV): equal for equal histories, fixed once a revision is past. */
class KeyspaceHashTest {
  @TempDir Path one;
  @TempDir Path two;

  private static void history(CoreHarness h) {
    h.put("a", "1");
    h.put("b", "2");
    h.put("a", "3");
    h.delete("b");
  }

  @Test
  void sameHistoryGivesTheSameHashAndALaterWriteDoesNotChangeAPastRevisionsHash() {
    try (CoreHarness h1 = CoreHarness.open(one);
        CoreHarness h2 = CoreHarness.open(two)) {
      history(h1);
      history(h2);
      Store.KeyspaceHash at4 = h1.store().hashKeyspace(0);
      assertThat(at4.revision()).isEqualTo(4);
      assertThat(h2.store().hashKeyspace(4)).isEqualTo(at4);
      assertThat(h1.store().hashKeyspace(3)).isNotEqualTo(at4);

      h1.put("c", "4");
      assertThat(h1.store().hashKeyspace(4)).isEqualTo(at4);
      assertThat(h1.store().hashKeyspace(0).hash()).isNotEqualTo(at4.hash());

      h2.put("c", "other");
      assertThat(h2.store().hashKeyspace(5).hash()).isNotEqualTo(h1.store().hashKeyspace(5).hash());
    }
  }

  @Test
  void compactedAndFutureRevisionsAreRefusedWithTheirReasons() {
    try (CoreHarness h = CoreHarness.open(one)) {
      history(h);
      h.compact(3);
      assertThat(h.store().hashKeyspace(0).compactRevision()).isEqualTo(3);
      assertThatThrownBy(() -> h.store().hashKeyspace(2))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.COMPACTED));
      assertThatThrownBy(() -> h.store().hashKeyspace(99))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.FUTURE_REVISION));
    }
  }

  @Test
  void theHashDependsOnTheKeyspaceNotOnHowWritesWereGroupedIntoEntries() {
    try (CoreHarness oneByOne = CoreHarness.open(one);
        CoreHarness grouped = CoreHarness.open(two)) {
      oneByOne.put("a", "1");
      oneByOne.put("b", "2");
      oneByOne.put("c", "3");
      grouped.applyEntry(
          grouped.putCmd("a", "1"), grouped.putCmd("b", "2"), grouped.putCmd("c", "3"));
      assertThat(grouped.index()).isLessThan(oneByOne.index());
      assertThat(grouped.store().hashKeyspace(3)).isEqualTo(oneByOne.store().hashKeyspace(3));
    }
  }

  @Test
  void theHashDoesNotDependOnTheRocksDbFiles(@TempDir Path copy) throws Exception {
    try (CoreHarness h = CoreHarness.open(one)) {
      history(h);
      Store.KeyspaceHash inMemtables = h.store().hashKeyspace(4);
      // a checkpoint flushes the memtables into table files: the same data, laid out otherwise
      java.nio.file.Files.delete(copy);
      h.backend().checkpoint(copy);
      h.reopen();
      assertThat(h.store().hashKeyspace(4)).isEqualTo(inMemtables);
      try (CoreHarness fromFiles = CoreHarness.open(copy)) {
        assertThat(fromFiles.store().hashKeyspace(4)).isEqualTo(inMemtables);
      }
    }
  }

  @Test
  void anyDifferenceInAStoredVersionChangesTheHash() {
    try (CoreHarness h1 = CoreHarness.open(one);
        CoreHarness h2 = CoreHarness.open(two)) {
      h1.put("a", "value");
      h2.put("a", "valuf");
      assertThat(h1.store().hashKeyspace(1).hash()).isNotEqualTo(h2.store().hashKeyspace(1).hash());
    }
  }
}
