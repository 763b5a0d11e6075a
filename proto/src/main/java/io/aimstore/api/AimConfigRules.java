package io.aimstore.api;

import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.SafetyThresholds;
import io.aimstore.api.v1.UpdateWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validation rules of an {@link AimConfig}, shared by the store (which refuses an invalid
 * config and writes nothing) and drones (which refuse to fly one). Every broken rule is reported,
 * not just the first.
 */
public final class AimConfigRules {
  public static final int SCHEMA_VERSION = 1;
  private static final Pattern PARAMETER_KEY = Pattern.compile("[a-z0-9_.-]{1,64}");
  private static final int MAX_PARAMETERS = 64;
  private static final int MAX_PARAMETER_VALUE = 256;
  private static final int MAX_DESCRIPTION = 1024;

  private AimConfigRules() {}

  /** Every rule {@code c} breaks, as sentences naming the field; empty when valid. */
  public static List<String> violations(AimConfig c) {
    List<String> v = new ArrayList<>();
    if (c.getSchemaVersion() != SCHEMA_VERSION) {
      v.add("schema_version must be " + SCHEMA_VERSION + ", got " + c.getSchemaVersion());
    }
    if (!(c.getSensitivity() > 0 && c.getSensitivity() <= 10)) {
      v.add("sensitivity must be in (0, 10], got " + c.getSensitivity());
    }
    if (!c.hasSafety()) {
      v.add("safety is required");
    } else {
      safety(c.getSafety(), c.getSensitivity(), v);
    }
    if (!c.hasUpdateWindow()) {
      v.add("update_window is required");
    } else {
      window(c.getUpdateWindow(), v);
    }
    if (c.getParametersCount() > MAX_PARAMETERS) {
      v.add("at most " + MAX_PARAMETERS + " parameters, got " + c.getParametersCount());
    }
    for (Map.Entry<String, String> p : c.getParametersMap().entrySet()) {
      if (!PARAMETER_KEY.matcher(p.getKey()).matches()) {
        v.add("parameter key '" + p.getKey() + "' must match [a-z0-9_.-]{1,64}");
      }
      if (p.getValue().length() > MAX_PARAMETER_VALUE) {
        v.add("parameter '" + p.getKey() + "' is longer than " + MAX_PARAMETER_VALUE + " chars");
      }
    }
    if (c.getDescription().length() > MAX_DESCRIPTION) {
      v.add("description is longer than " + MAX_DESCRIPTION + " chars");
    }
    return v;
  }

  private static void safety(SafetyThresholds s, double sensitivity, List<String> v) {
    if (s.getMinAltitudeM() < 0) {
      v.add("safety.min_altitude_m must be >= 0, got " + s.getMinAltitudeM());
    }
    if (s.getMaxAltitudeM() > 500) {
      v.add("safety.max_altitude_m must be <= 500, got " + s.getMaxAltitudeM());
    }
    if (s.getMaxAltitudeM() - s.getMinAltitudeM() < 10) {
      v.add(
          "safety.max_altitude_m must be at least 10 above safety.min_altitude_m (got "
              + s.getMinAltitudeM()
              + " to "
              + s.getMaxAltitudeM()
              + ")");
    }
    if (!(s.getMaxSpeedMps() > 0 && s.getMaxSpeedMps() <= 50)) {
      v.add("safety.max_speed_mps must be in (0, 50], got " + s.getMaxSpeedMps());
    }
    if (!(s.getGeofenceRadiusM() > 0 && s.getGeofenceRadiusM() <= 10_000)) {
      v.add("safety.geofence_radius_m must be in (0, 10000], got " + s.getGeofenceRadiusM());
    }
    if (s.getMinBatteryPct() < 10 || s.getMinBatteryPct() > 100) {
      v.add("safety.min_battery_pct must be in [10, 100], got " + s.getMinBatteryPct());
    } else if (sensitivity > 8 && s.getMinBatteryPct() < 30) {
      v.add(
          "safety.min_battery_pct must be >= 30 when sensitivity > 8, got " + s.getMinBatteryPct());
    }
  }

  private static void window(UpdateWindow w, List<String> v) {
    if (w.getStartMinuteUtc() >= 1440) {
      v.add("update_window.start_minute_utc must be in [0, 1440), got " + w.getStartMinuteUtc());
    }
    if (w.getDurationMinutes() < 1 || w.getDurationMinutes() > 1440) {
      v.add("update_window.duration_minutes must be in [1, 1440], got " + w.getDurationMinutes());
    }
  }
}
