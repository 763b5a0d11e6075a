package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import io.aimstore.api.v1.DroneStatus;
import io.aimstore.api.v1.FleetStatusResponse;
import io.aimstore.client.AimStoreException;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "fleet",
    description = "A fleet's drones, its rollout and its hold point.",
    subcommands = {FleetCommand.Status.class, FleetCommand.Hold.class, FleetCommand.Release.class})
public final class FleetCommand {

  @Command(
      name = "status",
      description = {
        "Show FLEET's drones, its hold and its rollout.",
        "Each drone: alive?, applied version, target version, host, pid, last report."
      })
  public static final class Status extends CommandBase {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Override
    public Integer call() {
      FleetStatusResponse s = await(client().fleet().fleetStatus(fleet));
      FleetStatusResponse.Builder b = s.toBuilder();
      if (s.hasRollout()) {
        b.setRollout(RolloutCommand.summary(s.getRollout()));
      }
      JsonObject o = Json.proto(b);
      o.addProperty("fleet", fleet);
      return show(o, () -> print(s));
    }

    private void print(FleetStatusResponse s) {
      if (s.hasHold()) {
        out()
            .println(
                "HOLD: "
                    + s.getHold().getReason()
                    + " (by "
                    + s.getHold().getOperator()
                    + " since "
                    + Text.time(s.getHold().getSinceMs())
                    + ")");
      }
      if (s.hasRollout()) {
        out()
            .println(
                "rollout: "
                    + s.getRollout().getConfigName()
                    + " v"
                    + s.getRollout().getVersion()
                    + " "
                    + s.getRollout().getState()
                    + (s.getRollout().getHaltReason().isEmpty()
                        ? ""
                        : " — " + s.getRollout().getHaltReason()));
      }
      Table t = new Table("DRONE", "ALIVE", "APPLIED", "TARGET", "HOST", "PID", "LAST REPORT");
      for (DroneStatus d : s.getDronesList()) {
        String report =
            !d.hasLastReport()
                ? "-"
                : (d.getLastReport().getApplied() ? "applied v" : "refused v")
                    + d.getLastReport().getVersion()
                    + (d.getLastReport().getReason().isEmpty()
                        ? ""
                        : " (" + d.getLastReport().getReason() + ")")
                    + ", "
                    + Text.age(
                        Duration.ofMillis(System.currentTimeMillis() - d.getLastReport().getAtMs()))
                    + " ago";
        t.row(
            d.getDrone(),
            d.getAlive() ? "yes" : "NO",
            v(d.getAppliedVersion()),
            v(d.getTargetVersion()),
            d.getHost(),
            d.getPid() == 0 ? "" : d.getPid(),
            report);
      }
      print(t);
    }

    private static String v(long version) {
      return version == 0 ? "-" : "v" + version;
    }
  }

  @Command(
      name = "hold",
      description = {
        "Put FLEET on hold: drones keep their config and no rollout advances until 'fleet release'.",
        "Holding a fleet that is on hold replaces the reason."
      })
  public static final class Hold extends HoldChange {
    @Option(names = "--reason", required = true, description = "Why (shown in 'fleet status').")
    String reason;

    @Override
    public Integer call() {
      try {
        await(client().fleet().hold(fleet, reason));
      } catch (AimStoreException e) {
        // The answer was lost: look whether the hold is there.
        if (e.outcome() != AimStoreException.Outcome.UNKNOWN || !onHold()) {
          throw e;
        }
      }
      return report(true, "fleet " + fleet + " is on hold: " + reason);
    }
  }

  @Command(
      name = "release",
      description = {
        "Lift FLEET's hold.",
        "Idempotent: a fleet that is not on hold is reported as already released, exit 0."
      })
  public static final class Release extends HoldChange {
    @Override
    public Integer call() {
      String done = "fleet " + fleet + " released";
      try {
        await(client().fleet().release(fleet));
      } catch (AimStoreException e) {
        boolean refused = e.code() == AimStoreException.Code.FAILED_PRECONDITION;
        boolean lost = e.outcome() == AimStoreException.Outcome.UNKNOWN;
        if (!(refused || lost) || onHold()) {
          throw e;
        }
        done =
            refused
                ? "fleet " + fleet + " is not on hold (already released)"
                : "fleet " + fleet + " released (the answer was lost; the hold is gone)";
      }
      return report(false, done);
    }
  }

  /** A change to FLEET's hold, answered with whether the fleet is on hold. */
  abstract static class HoldChange extends WriteCommand {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Override
    public String howToCheck() {
      return "aimctl fleet status " + fleet;
    }

    /** Whether FLEET is on hold now (a linearizable read). */
    boolean onHold() {
      return await(client().fleet().fleetStatus(fleet)).hasHold();
    }

    int report(boolean onHold, String text) {
      JsonObject o = new JsonObject();
      o.addProperty("fleet", fleet);
      o.addProperty("on_hold", onHold);
      return show(o, () -> out().println(text));
    }
  }
}
