package io.aimstore.ops.cli;

import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.Rollout;
import io.aimstore.api.v1.RolloutRequest;
import io.aimstore.api.v1.RolloutResponse;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rollout",
    description = {
      "Staged rollouts of a config to a fleet: canary drones, then percentages, then everyone.",
      "Every change is fenced by the fleet's config lock (aim/FLEET/config): aimctl takes it for"
          + " the command, so two operators never run conflicting rollouts."
    },
    subcommands = {
      RolloutCommand.Start.class,
      RolloutCommand.Status.class,
      RolloutCommand.Promote.class,
      RolloutCommand.Pause.class,
      RolloutCommand.Resume.class,
      RolloutCommand.Rollback.class
    })
public final class RolloutCommand {

  /** Runs {@code call} holding the fleet's config lock, with its fence. */
  static RolloutResponse fenced(
      CommandBase cmd, String fleet, Duration wait, Function<Fence, RolloutResponse> call) {
    try (Session s = cmd.client().session(SessionOptions.ttl(Duration.ofSeconds(10)));
        LockHandle lock = cmd.client().locks().acquire("aim/" + fleet + "/config", s, wait)) {
      return call.apply(lock.fence());
    }
  }

  /** A rollout without the configs it carries (they are in 'config get'). */
  static Rollout summary(Rollout r) {
    return r.toBuilder().clearConfig().clearPreviousConfigs().build();
  }

  static void show(CommandBase cmd, Rollout r) {
    if (cmd.json()) {
      cmd.print(Json.proto(summary(r)));
      return;
    }
    cmd.out()
        .printf(
            "rollout %d of %s v%d to %s: %s%s%n",
            r.getId(),
            r.getConfigName(),
            r.getVersion(),
            r.getFleet(),
            r.getState(),
            r.getHaltReason().isEmpty() ? "" : " — " + r.getHaltReason());
    Table t = new Table("STAGE", "NAME", "DRONES", "");
    for (int i = 0; i < r.getStagesCount(); i++) {
      Rollout.Stage s = r.getStages(i);
      String mark =
          i < r.getCurrentStage() || r.getState() == Rollout.State.COMPLETED
              ? "done"
              : i == r.getCurrentStage() ? "<- current" : "";
      t.row(i, s.getName(), String.join(",", s.getDronesList()), mark);
    }
    cmd.print(t);
  }

  @Command(
      name = "start",
      description = {
        "Roll config NAME out to FLEET in stages.",
        "The latest version or --version; first the --canary drones, then the --percent stages,"
            + " then everyone. Example: aimctl rollout start fleet-1 aim --canary drone-1 --auto"
      })
  public static final class Start extends CommandBase {
    @Override
    public boolean writes() {
      return true;
    }

    @Override
    public String howToCheck() {
      return "aimctl rollout status " + fleet;
    }

    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = "--version", description = "Config version (default: latest).")
    long version;

    @Option(
        names = "--canary",
        split = ",",
        paramLabel = "DRONE",
        description = "Drones of the first stage.")
    List<String> canary = new ArrayList<>();

    @Option(
        names = "--percent",
        split = ",",
        paramLabel = "P",
        description = "Middle stages as percentages of the rest (e.g. 10).")
    List<Integer> percent = new ArrayList<>();

    @Option(
        names = "--auto",
        description = "Advance by itself when a stage's drones have all applied the version.")
    boolean auto;

    @Option(
        names = "--ack-timeout",
        defaultValue = "0",
        converter = Durations.Converter.class,
        description =
            "Halt if a stage's drones have not all reported within this (e.g. 60s; 0: no limit).")
    Duration ackTimeout;

    @Option(
        names = "--lock-wait",
        defaultValue = "10s",
        converter = Durations.Converter.class,
        description = "How long to wait for the fleet's config lock. Default: ${DEFAULT-VALUE}.")
    Duration lockWait;

    @Override
    public Integer call() {
      RolloutResponse r =
          fenced(
              this,
              fleet,
              lockWait,
              fence -> {
                RolloutStartRequest.Builder b =
                    RolloutStartRequest.newBuilder()
                        .setFleet(fleet)
                        .setConfigName(name)
                        .setVersion(version)
                        .addAllCanary(canary)
                        .setAutoPromote(auto)
                        .setAckTimeoutMs(ackTimeout.toMillis())
                        .setFence(fence);
                percent.forEach(b::addPercentStages);
                return await(client().fleet().start(b.build()));
              });
      show(this, r.getRollout());
      return 0;
    }
  }

  @Command(name = "status", description = "Show the fleet's current or last rollout.")
  public static final class Status extends CommandBase {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Override
    public Integer call() {
      show(this, await(client().fleet().status(fleet)).getRollout());
      return 0;
    }
  }

  abstract static class Action extends CommandBase {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Option(
        names = "--lock-wait",
        defaultValue = "10s",
        converter = Durations.Converter.class,
        description = "How long to wait for the fleet's config lock.")
    Duration lockWait;

    abstract RolloutResponse run(RolloutRequest r);

    @Override
    public boolean writes() {
      return true;
    }

    @Override
    public String howToCheck() {
      return "aimctl rollout status " + fleet;
    }

    @Override
    public Integer call() {
      RolloutResponse r =
          fenced(
              this,
              fleet,
              lockWait,
              fence -> run(RolloutRequest.newBuilder().setFleet(fleet).setFence(fence).build()));
      show(this, r.getRollout());
      return 0;
    }
  }

  @Command(
      name = "promote",
      description = {
        "Move the rollout to its next stage.",
        "Every drone of the current stage must have applied the version."
      })
  public static final class Promote extends Action {
    @Override
    RolloutResponse run(RolloutRequest r) {
      return await(client().fleet().promote(r));
    }
  }

  @Command(name = "pause", description = "Stop advancing the rollout (drones keep what they have).")
  public static final class Pause extends Action {
    @Override
    RolloutResponse run(RolloutRequest r) {
      return await(client().fleet().pause(r));
    }
  }

  @Command(name = "resume", description = "Continue a paused rollout.")
  public static final class Resume extends Action {
    @Override
    RolloutResponse run(RolloutRequest r) {
      return await(client().fleet().resume(r));
    }
  }

  @Command(
      name = "rollback",
      description = "Roll back: every drone that took the version gets its previous config back.")
  public static final class Rollback extends Action {
    @Override
    RolloutResponse run(RolloutRequest r) {
      return await(client().fleet().rollback(r));
    }
  }
}
