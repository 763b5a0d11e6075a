package io.aimstore.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aimstore.chaos.check.WatchViolation.Guarantee;
import io.aimstore.chaos.history.KeyRange;
import io.aimstore.chaos.history.WatchEvent;
import io.aimstore.chaos.history.WatchLog;
import io.aimstore.chaos.history.WatchMessage;
import io.aimstore.chaos.history.WatchMessage.Progress;
import io.aimstore.chaos.history.WatchMessage.Resumed;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchCheckerTest {

  private static final WatchEvent A2 = WatchEvent.put(2, "cfg/a", "1");
  private static final WatchEvent OTHER3 = WatchEvent.put(3, "other", "x");
  private static final WatchEvent A4 = WatchEvent.put(4, "cfg/a", "2");
  private static final WatchEvent B4 = WatchEvent.put(4, "cfg/b", 2L);
  private static final WatchEvent B5 = WatchEvent.delete(5, "cfg/b");
  private static final WatchEvent A6 = WatchEvent.put(6, "cfg/a", "3");
  private static final WatchEvent OTHER7 = WatchEvent.put(7, "other", "y");
  private static final WatchEvent B8 = WatchEvent.put(8, "cfg/b", 4L);

  /** What the store committed, in no particular order. */
  private static final List<WatchEvent> COMMITTED = List.of(B8, A2, OTHER3, B4, A4, B5, A6, OTHER7);

  private static WatchMessage.Events events(WatchEvent... events) {
    return new WatchMessage.Events(List.of(events));
  }

  private static List<WatchViolation> check(long start, WatchMessage... messages) {
    WatchLog log = new WatchLog("w1", KeyRange.prefix("cfg/"), start, List.of(messages));
    return WatchChecker.check(COMMITTED, List.of(log));
  }

  @Test
  void aCompleteWatchHasNoViolations() {
    assertThat(
            check(
                2,
                events(A2),
                events(A4, B4),
                events(B5, A6),
                new Progress(7),
                events(B8),
                new Progress(9)))
        .isEmpty();
    assertThat(check(5, events(B5), events(A6))).isEmpty();
    assertThat(
            WatchChecker.check(
                COMMITTED,
                List.of(
                    new WatchLog(
                        "single", KeyRange.single("other"), 1, List.of(events(OTHER3, OTHER7))))))
        .isEmpty();
  }

  @Test
  void aGapIsUnreliable() {
    assertThat(check(2, events(A2), events(A4, B4), events(A6)))
        .extracting(WatchViolation::guarantee, WatchViolation::revision)
        .containsExactly(tuple(Guarantee.RELIABLE, 5L));
  }

  @Test
  void aMissingFirstRevisionIsUnreliable() {
    assertThat(check(2, events(A4, B4)))
        .extracting(WatchViolation::guarantee, WatchViolation::revision)
        .containsExactly(tuple(Guarantee.RELIABLE, 2L));
  }

  @Test
  void aDuplicateEventIsNotUnique() {
    assertThat(check(2, events(A2), events(A2), events(A4, B4)))
        .singleElement()
        .hasToString("UNIQUE watch w1 @2: @2 PUT cfg/a \"1\" delivered again");
  }

  @Test
  void aRevisionSplitAcrossResponsesIsNotAtomic() {
    assertThat(check(2, events(A2), events(A4), events(B4)))
        .extracting(WatchViolation::guarantee, WatchViolation::revision)
        .containsExactly(tuple(Guarantee.ATOMIC, 4L));
  }

  @Test
  void aRevisionDeliveredInPartIsNotAtomic() {
    assertThat(check(2, events(A2), events(A4), events(B5)))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.guarantee()).isEqualTo(Guarantee.ATOMIC);
              assertThat(v.detail()).isEqualTo("revision 4 delivered without [cfg/b]");
            });
  }

  @Test
  void anOlderRevisionAfterANewerOneIsNotOrdered() {
    assertThat(check(2, events(A2), events(B5), events(A4, B4)))
        .extracting(WatchViolation::guarantee, WatchViolation::revision)
        .containsExactly(tuple(Guarantee.ORDERED, 4L));
  }

  @Test
  void resumingAtTheNextRevisionContinuesTheWatch() {
    assertThat(check(2, events(A2), events(A4, B4), new Resumed(5), events(B5), events(A6)))
        .isEmpty();
    assertThat(check(2, events(A2), new Resumed(3), events(A4, B4))).isEmpty();
  }

  @Test
  void aResumeThatSkipsTheFirstMatchingRevisionIsReported() {
    assertThat(check(2, events(A2), events(A4, B4), new Resumed(5), events(A6)))
        .extracting(WatchViolation::guarantee, WatchViolation::revision)
        .containsExactly(tuple(Guarantee.RESUMABLE, 6L), tuple(Guarantee.RELIABLE, 5L));
  }

  @Test
  void aResumeThatRedeliversIsReported() {
    assertThat(check(2, events(A2), events(A4, B4), new Resumed(5), events(B4), events(B5)))
        .extracting(WatchViolation::guarantee, WatchViolation::revision)
        .containsExactly(tuple(Guarantee.RESUMABLE, 4L), tuple(Guarantee.UNIQUE, 4L));
  }

  @Test
  void aProgressNotificationBeforeItsEventsIsNotABookmark() {
    assertThat(
            check(2, events(A2), events(A4, B4), new Progress(6), new Progress(7), events(B5, A6)))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.guarantee()).isEqualTo(Guarantee.BOOKMARKABLE);
              assertThat(v.revision()).isEqualTo(6);
              assertThat(v.detail())
                  .isEqualTo("progress at 6 before revisions [5, 6] were delivered");
            });
  }

  @Test
  void eventsTheStoreDidNotCommitAreInvalid() {
    assertThat(
            check(
                3,
                events(A2),
                events(OTHER3),
                events(WatchEvent.put(4, "cfg/a", "2"), WatchEvent.put(4, "cfg/b", 99L)),
                events(WatchEvent.put(5, "cfg/b", 5L)),
                events(WatchEvent.put(6, "cfg/c", 1L), A6)))
        .extracting(WatchViolation::guarantee, WatchViolation::revision)
        .containsExactly(
            tuple(Guarantee.VALID, 2L),
            tuple(Guarantee.VALID, 3L),
            tuple(Guarantee.VALID, 4L),
            tuple(Guarantee.VALID, 5L),
            tuple(Guarantee.VALID, 6L));
  }

  @Test
  void revisionsTheReferenceDoesNotKnowAreNotJudged() {
    List<WatchEvent> partial = List.of(A2, B8);
    WatchLog log =
        new WatchLog(
            "w1",
            KeyRange.prefix("cfg/"),
            2,
            List.of(events(A2), events(WatchEvent.put(3, "cfg/x", "unknown")), events(B8)));

    assertThat(WatchChecker.check(partial, List.of(log))).isEmpty();
  }

  @Test
  void eachWatcherIsCheckedAgainstItsOwnRange() {
    WatchLog complete =
        new WatchLog("a", KeyRange.single("cfg/a"), 1, List.of(events(A2), events(A4), events(A6)));
    WatchLog gapped =
        new WatchLog("b", KeyRange.single("cfg/b"), 1, List.of(events(B4), events(B8)));

    assertThat(WatchChecker.check(COMMITTED, List.of(complete, gapped)))
        .extracting(WatchViolation::watchId, WatchViolation::revision)
        .containsExactly(tuple("b", 5L));
  }
}
