package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aimstore.api.v1.DroneStatus;
import io.aimstore.api.v1.FleetStatusResponse;
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
      description = "Every drone: alive?, applied version, target version, last report.")
  public static final class Status extends CommandBase {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Override
    public Integer call() {
      FleetStatusResponse s = await(client().fleet().fleetStatus(fleet));
      if (json()) {
        JsonObject o = new JsonObject();
        o.addProperty("fleet", fleet);
        JsonArray a = new JsonArray();
        for (DroneStatus d : s.getDronesList()) {
          JsonObject j = new JsonObject();
          j.addProperty("drone", d.getDrone());
          j.addProperty("alive", d.getAlive());
          j.addProperty("applied_version", d.getAppliedVersion());
          j.addProperty("target_version", d.getTargetVersion());
          j.addProperty("host", d.getHost());
          j.addProperty("pid", d.getPid());
          if (d.hasLastReport()) {
            j.addProperty("last_report_at_ms", d.getLastReport().getAtMs());
            j.addProperty("last_report_applied", d.getLastReport().getApplied());
            j.addProperty("last_report_reason", d.getLastReport().getReason());
          }
          a.add(j);
        }
        o.add("drones", a);
        if (s.hasHold()) {
          o.addProperty("hold", s.getHold().getReason());
        }
        if (s.hasRollout()) {
          o.addProperty("rollout_state", s.getRollout().getState().name());
          o.addProperty("rollout_version", s.getRollout().getVersion());
        }
        print(o);
        return 0;
      }
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
      return 0;
    }

    private static String v(long version) {
      return version == 0 ? "-" : "v" + version;
    }
  }

  @Command(
      name = "hold",
      description =
          "Put FLEET on hold: drones keep their config and no rollout advances until 'fleet release'.")
  public static final class Hold extends CommandBase {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Option(names = "--reason", required = true)
    String reason;

    @Override
    public Integer call() {
      await(client().fleet().hold(fleet, reason, RolloutCommand.operator(this)));
      out().println("fleet " + fleet + " is on hold: " + reason);
      return 0;
    }
  }

  @Command(name = "release", description = "Lift FLEET's hold.")
  public static final class Release extends CommandBase {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Override
    public Integer call() {
      await(client().fleet().release(fleet, RolloutCommand.operator(this)));
      out().println("fleet " + fleet + " released");
      return 0;
    }
  }
}
