package io.aimstore.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Stats.median(List.of(7.0))).isEqualTo(7.0);
  }

  @Test
  void missingValuesAreIgnored() {
    assertThat(Stats.median(Arrays.asList(1.0, Double.NaN, null, 3.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of())).isNaN();
    assertThat(Stats.min(List.of(Double.NaN))).isNaN();
    assertThat(Stats.max(List.of(2.0, 5.0, Double.NaN))).isEqualTo(5.0);
  }

  @Test
  void ratioNeedsTwoFiniteValuesAndANonZeroDivisor() {
    assertThat(Stats.ratio(6, 3)).isEqualTo(2.0);
    assertThat(Stats.ratio(6, 0)).isNaN();
    assertThat(Stats.ratio(Double.NaN, 3)).isNaN();
    assertThat(Stats.ratio(0, 3)).isZero();
    assertThat(Stats.ratio(-5, 3)).isNaN(); // a memory growth that came out negative
    assertThat(Stats.ratio(5, -3)).isNaN();
  }
}
