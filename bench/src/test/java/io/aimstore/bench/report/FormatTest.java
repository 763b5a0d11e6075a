package io.aimstore.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.bench.report.Summary.Ratio;
import org.junit.jupiter.api.Test;

class FormatTest {

  @Test
  void valuesInTheirUnits() {
    assertThat(Format.value(Metric.THROUGHPUT, 12345.6)).isEqualTo("12,346");
    assertThat(Format.value(Metric.P50, 0.7341)).isEqualTo("0.734");
    assertThat(Format.value(Metric.P99, 2.913)).isEqualTo("2.91");
    assertThat(Format.value(Metric.P99, 45.67)).isEqualTo("45.7");
    assertThat(Format.value(Metric.P999, 1234.5)).isEqualTo("1,235");
    assertThat(Format.value(Metric.SERVER_CPU, Double.NaN)).isEqualTo(Format.MISSING);
  }

  @Test
  void ratiosWithTheirRange() {
    assertThat(Format.ratio(new Ratio(1.284, 1.1, 1.4, 3))).isEqualTo("1.28× (1.10–1.40)");
    assertThat(Format.ratio(new Ratio(12.34, 11, 13, 3))).isEqualTo("12.3× (11.0–13.0)");
    assertThat(Format.ratio(new Ratio(0.5, 0.5, 0.5, 1))).isEqualTo("0.50×");
    assertThat(Format.ratio(Ratio.EMPTY)).isEqualTo(Format.MISSING);
  }
}
