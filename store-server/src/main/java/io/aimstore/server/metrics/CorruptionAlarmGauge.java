package io.aimstore.server.metrics;

import io.aimstore.server.api.CorruptionAlarm;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CORRUPT alarm as this member's gauge {@code aimstore.alarm.active{alarm="CORRUPT"}}: 1 once
 * raised, until the member restarts. Only the member that ran the check (the leader) shows it.
 */
public final class CorruptionAlarmGauge implements CorruptionAlarm {
  private final AtomicInteger active = new AtomicInteger();

  public CorruptionAlarmGauge(MeterRegistry registry) {
    Gauge.builder("aimstore.alarm.active", active, AtomicInteger::get)
        .description("1 while the alarm is raised, 0 otherwise")
        .tag("alarm", "CORRUPT")
        .register(registry);
  }

  @Override
  public void raise(String memberA, String memberB, long revision) {
    active.set(1);
  }

  /** Whether the alarm was raised. */
  public boolean active() {
    return active.get() == 1;
  }
}
