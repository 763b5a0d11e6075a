package io.aimstore.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "90s, PT1M30S",
    "15m, PT15M",
    "2h, PT2H",
    "1d, PT24H",
    "1h30m, PT1H30M",
    "1.5s, PT1.5S",
    "10, PT10S",
    "0, PT0S",
    "PT90S, PT1M30S",
    "p1d, PT24H",
    "36500d, PT876000H"
  })
  void accepts(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "100000d",
        "9223372036854775807",
        "9223372036854775807s",
        "P400000D",
        "-5",
        "-1s",
        "",
        "5x",
        "1d2",
        "s",
        "1e3s",
        "d100"
      })
  void refusesWithAReasonNeverAGuess(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("Exception");
  }

  @ParameterizedTest
  @CsvSource({"PT0S, 0s", "PT0.25S, 250ms", "PT1.5S, 1.5s", "PT90S, 1m30s", "PT24H, 1d"})
  void formats(String iso, String text) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
  }
}
