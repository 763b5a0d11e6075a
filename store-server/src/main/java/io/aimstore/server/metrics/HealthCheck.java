package io.aimstore.server.metrics;

/** Whether this member is healthy or ready, and why not. */
public record HealthCheck(boolean ok, String detail) {
  public static HealthCheck ok(String detail) {
    return new HealthCheck(true, detail);
  }

  public static HealthCheck failing(String detail) {
    return new HealthCheck(false, detail);
  }
}
