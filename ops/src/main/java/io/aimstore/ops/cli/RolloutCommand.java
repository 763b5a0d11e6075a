package io.aimstore.ops.cli;

import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.Rollout;
import io.aimstore.api.v1.RolloutRequest;
import io.aimstore.api.v1.RolloutResponse;
import io.aimstore.api.v1.RolloutStartRequest;
import io.aimstore.client.Fleet;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.ops.output.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
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

  /** A rollout without the configs it carries (they are in 'config get'). */
  static Rollout summary(Rollout r) {
    return r.toBuilder().clearConfig().clearPreviousConfigs().build();
  }

  /** Prints rollout {@code r} (without its configs), and its stages for people; exit code 0. */
  static int showRollout(CommandBase cmd, Rollout r) {
    return cmd.show(summary(r), () -> stages(cmd, r));
  }

  private static void stages(CommandBase cmd, Rollout r) {
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

  /**
   * A change to FLEET's rollout, sent holding the fleet's config lock (aim/FLEET/config) with its
   * fence; answered with the rollout.
   */
  abstract static class FencedChange extends WriteCommand {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    /** How long to wait for the fleet's config lock. */
    abstract Duration lockWait();

    /** Sends the change, fenced by the lock. */
    abstract RolloutResponse change(Fence fence);

    @Override
    public String howToCheck() {
      return "aimctl rollout status " + fleet;
    }

    @Override
    public Integer call() {
      RolloutResponse r;
      try (Session s = client().session(SessionOptions.ttl(Duration.ofSeconds(10)));
          LockHandle lock = client().locks().acquire("aim/" + fleet + "/config", s, lockWait())) {
        r = change(lock.fence());
      }
      return showRollout(this, r.getRollout());
    }
  }

  @Command(
      name = "start",
      description = {
        "Roll config NAME out to FLEET in stages.",
        "The latest version or --version; first the --canary drones, then the --percent stages,"
            + " then everyone. Example: aimctl rollout start fleet-1 aim --canary drone-1 --auto"
      })
  public static final class Start extends FencedChange {
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
        description =
            "Halt if a stage's drones have not all reported within this (e.g. 60s; 0: no limit).")
    Duration ackTimeout;

    @Option(
        names = "--lock-wait",
        defaultValue = "10s",
        description = "How long to wait for the fleet's config lock. Default: ${DEFAULT-VALUE}.")
    Duration lockWait;

    @Override
    Duration lockWait() {
      return lockWait;
    }

    @Override
    RolloutResponse change(Fence fence) {
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
    }
  }

  @Command(name = "status", description = "Show the fleet's current or last rollout.")
  public static final class Status extends CommandBase {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Override
    public Integer call() {
      return showRollout(this, await(client().fleet().status(fleet)).getRollout());
    }
  }

  /** promote, pause, resume, rollback: one call on the fleet's rollout. */
  abstract static class Action extends FencedChange {
    @Option(
        names = "--lock-wait",
        defaultValue = "10s",
        description = "How long to wait for the fleet's config lock.")
    Duration lockWait;

    private final BiFunction<Fleet, RolloutRequest, CompletableFuture<RolloutResponse>> call;

    Action(BiFunction<Fleet, RolloutRequest, CompletableFuture<RolloutResponse>> call) {
      this.call = call;
    }

    @Override
    Duration lockWait() {
      return lockWait;
    }

    @Override
    RolloutResponse change(Fence fence) {
      return await(
          call.apply(
              client().fleet(),
              RolloutRequest.newBuilder().setFleet(fleet).setFence(fence).build()));
    }
  }

  @Command(
      name = "promote",
      description = {
        "Move the rollout to its next stage.",
        "Every drone of the current stage must have applied the version."
      })
  public static final class Promote extends Action {
    public Promote() {
      super(Fleet::promote);
    }
  }

  @Command(name = "pause", description = "Stop advancing the rollout (drones keep what they have).")
  public static final class Pause extends Action {
    public Pause() {
      super(Fleet::pause);
    }
  }

  @Command(name = "resume", description = "Continue a paused rollout.")
  public static final class Resume extends Action {
    public Resume() {
      super(Fleet::resume);
    }
  }

  @Command(
      name = "rollback",
      description = "Roll back: every drone that took the version gets its previous config back.")
  public static final class Rollback extends Action {
    public Rollback() {
      super(Fleet::rollback);
    }
  }
}
