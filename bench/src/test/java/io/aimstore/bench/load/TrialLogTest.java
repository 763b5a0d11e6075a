package io.aimstore.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrialLogTest {
  private static final long MS = 1_000_000;

  @Test
  void trialsBecomeOperationsAndTheirTimesLatencies() {
    TrialLog log = new TrialLog(0);
    log.measured(1200 * MS);
    log.failed("trial 2: no leader");
    log.measured(2000 * MS);
    log.measured(1500 * MS);

    RunStats s = log.stats(10_000 * MS);
    assertThat(s.ops()).isEqualTo(3);
    assertThat(s.errors()).isEqualTo(1);
    assertThat(s.windowSeconds()).isEqualTo(10.0);
    assertThat(s.firstError()).isEqualTo("trial 2: no leader");
    assertThat(s.latency().p50()).isBetween(1_499_000.0, 1_501_000.0);
    assertThat(s.latency().max()).isBetween(1_999_000.0, 2_001_000.0);
    assertThat(log.millis()).containsExactly(1200.0, 2000.0, 1500.0);
  }

  @Test
  void describesTheLastTrial() {
    TrialLog log = new TrialLog(0);
    log.measured(1234_567_000L);
    assertThat(log.describeLast(0)).isEqualTo("1235 ms");
    log.failed("trial 2: holder never held");
    assertThat(log.describeLast(1)).isEqualTo("failed: trial 2: holder never held");
  }

  @Test
  void noTrialsNoLatency() {
    RunStats s = new TrialLog(0).stats(MS);
    assertThat(s.ops()).isZero();
    assertThat(s.latency()).isEqualTo(LatencySummary.EMPTY);
  }
}
