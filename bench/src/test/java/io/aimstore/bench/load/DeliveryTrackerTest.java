package io.aimstore.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryTrackerTest {
  private static final long MS = 1_000_000;

  @Test
  void latencyRunsFromTheAckToTheEvent() {
    DeliveryTracker t = new DeliveryTracker();
    t.issued("/k1", 0, true);
    t.acked("/k1", 0, 2 * MS);
    t.received("/k1", 5 * MS);

    assertThat(t.delivered()).isEqualTo(1);
    assertThat(t.fromAck().getMaxValue()).isBetween(3 * MS - 10_000, 3 * MS + 10_000);
    assertThat(t.fromIssue().getMaxValue()).isBetween(5 * MS - 10_000, 5 * MS + 10_000);
    assertThat(t.early()).isZero();
    assertThat(t.missing()).isZero();
  }

  @Test
  void anEventBeforeTheAckCountsAsZeroAndAsEarly() {
    DeliveryTracker t = new DeliveryTracker();
    t.issued("/k1", 0, true);
    t.received("/k1", 3 * MS);
    assertThat(t.delivered()).isZero(); // waits for the ack
    t.acked("/k1", 0, 4 * MS);

    assertThat(t.delivered()).isEqualTo(1);
    assertThat(t.early()).isEqualTo(1);
    assertThat(t.fromAck().getMaxValue()).isZero();
  }

  @Test
  void putsOutsideTheWindowAreNotRecorded() {
    DeliveryTracker t = new DeliveryTracker();
    t.issued("/k1", 0, false);
    t.acked("/k1", 0, MS);
    t.received("/k1", 2 * MS);

    assertThat(t.delivered()).isZero();
    assertThat(t.fromAck().getTotalCount()).isZero();
  }

  @Test
  void anEventThatNeverCameIsMissing() {
    DeliveryTracker t = new DeliveryTracker();
    t.issued("/k1", 0, true);
    t.acked("/k1", 0, MS);
    assertThat(t.awaiting()).isEqualTo(1);
    t.issued("/k1", 10 * MS, true); // written again before the first event arrived
    t.acked("/k1", 10 * MS, 11 * MS);
    t.received("/k1", 12 * MS);

    assertThat(t.delivered()).isEqualTo(1);
    assertThat(t.missing()).isEqualTo(1);
    assertThat(t.awaiting()).isZero();
  }

  @Test
  void failedPutsExpectNoEventAndStrayEventsAreCounted() {
    DeliveryTracker t = new DeliveryTracker();
    t.issued("/k1", 0, true);
    t.failed("/k1", 0);
    t.received("/k1", MS);
    t.received("/sentinel", MS);

    assertThat(t.failedPuts()).isEqualTo(1);
    assertThat(t.delivered()).isZero();
    assertThat(t.unexpected()).isEqualTo(2);
    assertThat(t.missing()).isZero();
  }

  @Test
  void aLateAckOfAnOlderPutIsIgnored() {
    DeliveryTracker t = new DeliveryTracker();
    t.issued("/k1", 0, true);
    t.issued("/k1", 5 * MS, true);
    t.acked("/k1", 0, 6 * MS); // the first put's ack: not the one awaited now
    t.received("/k1", 7 * MS);
    assertThat(t.delivered()).isZero();
    t.acked("/k1", 5 * MS, 8 * MS);

    assertThat(t.delivered()).isEqualTo(1);
    assertThat(t.early()).isEqualTo(1);
  }
}
