package io.aimstore.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.SafetyThresholds;
import io.aimstore.api.v1.UpdateWindow;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each validation rule of an aim config, broken alone, is reported by name; a good one passes. */
class AimConfigRulesTest {
  static final AimConfig GOOD =
      AimConfig.newBuilder()
          .setSchemaVersion(1)
          .setSensitivity(5)
          .setSafety(
              SafetyThresholds.newBuilder()
                  .setMinAltitudeM(20)
                  .setMaxAltitudeM(120)
                  .setMaxSpeedMps(15)
                  .setGeofenceRadiusM(800)
                  .setMinBatteryPct(35))
          .setUpdateWindow(UpdateWindow.newBuilder().setStartMinuteUtc(120).setDurationMinutes(60))
          .putParameters("tracker", "kcf")
          .build();

  static Arguments rule(String expected, UnaryOperator<AimConfig.Builder> breakIt) {
    return Arguments.of(expected, breakIt.apply(GOOD.toBuilder()).build());
  }

  static UnaryOperator<AimConfig.Builder> safety(UnaryOperator<SafetyThresholds.Builder> f) {
    return b -> b.setSafety(f.apply(b.getSafety().toBuilder()));
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        rule("schema_version must be 1", b -> b.setSchemaVersion(2)),
        rule("sensitivity must be in (0, 10]", b -> b.setSensitivity(0)),
        rule("sensitivity must be in (0, 10]", b -> b.setSensitivity(10.5)),
        rule("safety is required", AimConfig.Builder::clearSafety),
        rule("update_window is required", AimConfig.Builder::clearUpdateWindow),
        rule("min_altitude_m must be >= 0", safety(s -> s.setMinAltitudeM(-1))),
        rule("max_altitude_m must be <= 500", safety(s -> s.setMaxAltitudeM(501))),
        rule("at least 10 above", safety(s -> s.setMinAltitudeM(100).setMaxAltitudeM(105))),
        rule("max_speed_mps must be in (0, 50]", safety(s -> s.setMaxSpeedMps(51))),
        rule("geofence_radius_m must be in (0, 10000]", safety(s -> s.setGeofenceRadiusM(0))),
        rule("min_battery_pct must be in [10, 100]", safety(s -> s.setMinBatteryPct(5))),
        rule(
            "min_battery_pct must be >= 30 when sensitivity > 8",
            b -> safety(s -> s.setMinBatteryPct(20)).apply(b.setSensitivity(9))),
        rule(
            "start_minute_utc must be in [0, 1440)",
            b -> b.setUpdateWindow(b.getUpdateWindow().toBuilder().setStartMinuteUtc(1440))),
        rule(
            "duration_minutes must be in [1, 1440]",
            b -> b.setUpdateWindow(b.getUpdateWindow().toBuilder().setDurationMinutes(0))),
        rule("parameter key 'Bad Key'", b -> b.putParameters("Bad Key", "x")),
        rule("longer than 256 chars", b -> b.putParameters("long", "x".repeat(257))),
        rule("description is longer than 1024", b -> b.setDescription("d".repeat(1025))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("broken")
  void eachBrokenRuleIsReportedAlone(String expected, AimConfig config) {
    assertThat(AimConfigRules.violations(config)).hasSize(1).first().asString().contains(expected);
  }

  @ParameterizedTest(name = "valid")
  @MethodSource("good")
  void aGoodConfigPasses(AimConfig config) {
    assertThat(AimConfigRules.violations(config)).isEmpty();
  }

  static Stream<AimConfig> good() {
    return Stream.of(
        GOOD,
        GOOD.toBuilder()
            .setSensitivity(10)
            .setSafety(GOOD.getSafety().toBuilder().setMinBatteryPct(30))
            .build());
  }

  @org.junit.jupiter.api.Test
  void everyBrokenRuleIsListedTogether() {
    AimConfig bad =
        GOOD.toBuilder()
            .setSchemaVersion(0)
            .setSensitivity(-1)
            .clearUpdateWindow()
            .putParameters("X", "y")
            .build();
    assertThat(AimConfigRules.violations(bad)).hasSize(4);
  }
}
