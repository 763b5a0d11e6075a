package io.aimstore.server.core;

import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.ConfigPutResponse;
import io.aimstore.api.v1.DroneReportRequest;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.Rollout;
import io.aimstore.api.v1.RolloutRequest;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.internal.FleetHold;
import io.aimstore.internal.RolloutAction;

/**
 * Applies the fleet commands — aim configs, staged rollouts, drone reports, fleet holds and the
 * leader's rollout ticks — through the {@link RolloutEngine}. Every rollout change is fenced by the
 * fleet's config lock.
 */
final class FleetApplier {
  private final ApplyContext ctx;
  private final LockApplier locks;
  private final AuditLog audit;
  private RolloutEngine engine;

  FleetApplier(ApplyContext ctx, LockApplier locks, AuditLog audit) {
    this.ctx = ctx;
    this.locks = locks;
    this.audit = audit;
  }

  ConfigPutResponse putConfig(ConfigPutRequest cp) {
    long token = locks.fenceToken(cp.hasFence() ? cp.getFence() : null);
    return engine().putConfig(cp, token);
  }

  Rollout start(RolloutStartRequest rs) {
    long token = rolloutFence(rs.getFleet(), rs.hasFence() ? rs.getFence() : null);
    return engine().start(rs.toBuilder().setOperator(ctx.access().identity()).build(), token);
  }

  Rollout act(RolloutAction a) {
    RolloutRequest rr = a.getRequest();
    long token = rolloutFence(rr.getFleet(), rr.hasFence() ? rr.getFence() : null);
    return engine().act(a, token);
  }

  Rollout report(DroneReportRequest r) {
    return engine().report(r);
  }

  /** Puts a fleet on hold or releases it (admin only): audited, with the caller as operator. */
  Rollout hold(FleetHold h) {
    FleetHold mine =
        h.toBuilder()
            .setRequest(h.getRequest().toBuilder().setOperator(ctx.access().identity()))
            .build();
    Rollout r = engine().hold(mine);
    audit.write(
        AuditRecord.newBuilder()
            .setAction(h.getHold() ? "fleet-hold" : "fleet-release")
            .setReason(h.getRequest().getReason())
            .setSubject("fleet " + h.getRequest().getFleet()));
    return r;
  }

  void tick() {
    engine().tick();
  }

  private long rolloutFence(String fleet, Fence fence) {
    return locks.requiredFence(
        AimKeys.configLock(fleet),
        fence,
        "rollouts of fleet " + fleet + " are fenced by its config lock");
  }

  /** The engine, at the time of the command being applied. */
  private RolloutEngine engine() {
    if (engine == null) {
      engine = new RolloutEngine(ctx.reader, ctx.writer);
    }
    engine.at(ctx.now());
    return engine;
  }
}
