package io.aimstore.server.metrics;

import io.aimstore.internal.RevokeReason;
import io.aimstore.server.raft.LessorMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Lease counters in Micrometer: grants, keep-alives, revocations by reason. */
public final class MicrometerLessorMetrics implements LessorMetrics {
  private final Counter grants;
  private final Counter keepAlives;
  private final Map<RevokeReason, Counter> revokes = new EnumMap<>(RevokeReason.class);

  public MicrometerLessorMetrics(MeterRegistry registry) {
    grants =
        Counter.builder("aimstore.lease.grants").description("leases granted").register(registry);
    keepAlives =
        Counter.builder("aimstore.lease.keepalives")
            .description("keep-alives served by this leader")
            .register(registry);
    for (RevokeReason r : RevokeReason.values()) {
      if (r != RevokeReason.UNRECOGNIZED) {
        revokes.put(
            r,
            Counter.builder("aimstore.lease.revokes")
                .description("leases revoked, by reason (revoked by a client, expired, admin)")
                .tag("reason", r.name().toLowerCase(Locale.ROOT))
                .register(registry));
      }
    }
  }

  @Override
  public void granted() {
    grants.increment();
  }

  @Override
  public void keptAlive() {
    keepAlives.increment();
  }

  @Override
  public void revoked(RevokeReason reason) {
    Counter c = revokes.get(reason);
    if (c != null) {
      c.increment();
    }
  }
}
