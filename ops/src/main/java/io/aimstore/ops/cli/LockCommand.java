package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.LockClaim;
import io.aimstore.api.v1.LockInfo;
import io.aimstore.api.v1.Owner;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.ops.Aimctl.CommandFailure;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.ErrorReport;
import io.aimstore.ops.ExitCodes;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import io.aimstore.ops.process.CommandGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "lock",
    description = {
      "Fair, fenced locks that die with their holder's session.",
      "A lock's holder is the oldest claim; its fencing token (AIMSTORE_LOCK_TOKEN under 'lock run')"
          + " makes the store refuse a late write from an old holder (put --fence LOCK=TOKEN)."
    },
    subcommands = {
      LockCommand.Run.class,
      LockCommand.ListLocks.class,
      LockCommand.Show.class,
      LockCommand.Release.class,
      LockCommand.Unquarantine.class
    })
public final class LockCommand {

  @Command(
      name = "run",
      description = {
        "Hold lock NAME while a command runs, and never let the command run without it.",
        "aimctl takes the lock (waiting up to --wait), runs CMD in a process group of its own with"
            + " AIMSTORE_LOCK_NAME and AIMSTORE_LOCK_TOKEN in its environment (fence writes with"
            + " them), releases the lock when CMD ends, and exits with CMD's status.",
        "CMD dies with aimctl, even on kill -9 of aimctl; the lock then frees itself when its TTL"
            + " runs out. SIGTERM or SIGINT to aimctl stops CMD (SIGTERM to its group, SIGKILL after"
            + " --grace) and releases the lock at once. A lock lost while CMD runs (session expired,"
            + " force-released) stops CMD the same way.",
        "Example: aimctl lock run aim_lock_config.conf --ttl 3 -- docs/examples/push-config.sh"
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "N:CMD's own status (128+S when signal S ended it)",
        "75:the lock was lost while CMD ran; CMD was stopped",
        "124:the lock is held by someone else and --wait ran out; CMD did not run",
        "125:aimctl could not take the lock (cluster unreachable, bad TTL...); CMD did not run",
        "126:CMD could not be executed",
        "127:CMD was not found",
        "130, 143:aimctl got SIGINT or SIGTERM; it stopped CMD and released the lock"
      })
  public static final class Run extends CommandBase {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(
        index = "1..*",
        paramLabel = "CMD",
        arity = "1..*",
        description = "The command and its arguments (after --).")
    List<String> command = new ArrayList<>();

    @Option(
        names = "--ttl",
        defaultValue = "10s",
        paramLabel = "DURATION",
        description =
            "Session TTL (seconds or a duration): the lock frees itself this long after aimctl"
                + " dies. Default: ${DEFAULT-VALUE}.")
    Duration ttl;

    @Option(
        names = "--wait",
        defaultValue = "0s",
        paramLabel = "DURATION",
        description = "How long to wait for the lock (e.g. 15s). Default: do not wait.")
    Duration wait;

    @Option(
        names = "--grace",
        defaultValue = "10s",
        paramLabel = "DURATION",
        description =
            "When CMD must stop: how long after SIGTERM before SIGKILL. Default: ${DEFAULT-VALUE}.")
    Duration grace;

    @Override
    public Integer call() throws Exception {
      Session session;
      LockHandle lock;
      try {
        session = client().session(SessionOptions.ttl(ttl));
      } catch (AimStoreException e) {
        throw new CommandFailure(e.getMessage(), ExitCodes.LOCK_RUN_FAILED);
      }
      try {
        lock = client().locks().acquire(name, session, wait);
      } catch (AimStoreException e) {
        session.close();
        boolean held =
            !ErrorReport.unreachable(e)
                && (e.code() == AimStoreException.Code.DEADLINE_EXCEEDED
                    || e.code() == AimStoreException.Code.FAILED_PRECONDITION);
        throw new CommandFailure(
            e.getMessage(), held ? ExitCodes.LOCK_NOT_ACQUIRED : ExitCodes.LOCK_RUN_FAILED);
      }
      err()
          .println(
              "aimctl: holding lock "
                  + name
                  + " with token "
                  + lock.token()
                  + " (lease "
                  + session.leaseId()
                  + ", TTL "
                  + Durations.format(session.ttl())
                  + ")");
      CommandGroup group;
      try {
        group =
            CommandGroup.start(
                command,
                Map.of(
                    "AIMSTORE_LOCK_NAME",
                    name,
                    "AIMSTORE_LOCK_TOKEN",
                    Long.toString(lock.token())));
      } catch (IOException e) {
        lock.close();
        session.close();
        throw new CommandFailure(
            "cannot start " + command.get(0) + ": " + e.getMessage(), ExitCodes.LOCK_RUN_FAILED);
      }
      if (!group.diesWithParent()) {
        err()
            .println(
                "aimctl: setsid/setpriv (util-linux) not found: "
                    + command.get(0)
                    + " would outlive a kill -9 of aimctl");
      }
      Holding holding = new Holding(group, lock, session, grace);
      Thread hook = new Thread(holding::end, "lock-run-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      lock.ended()
          .thenAccept(
              state -> {
                if (state == LockHandle.State.LOST && group.isAlive()) {
                  err()
                      .println(
                          "aimctl: lock "
                              + name
                              + " was lost (session lost or force-released); stopping "
                              + command.get(0)
                              + " (SIGTERM, SIGKILL after "
                              + Durations.format(grace)
                              + ")");
                  Thread t = new Thread(holding::end, "lock-run-lost");
                  t.setDaemon(true);
                  t.start();
                }
              });
      int code = group.waitFor();
      boolean lost = lock.state() == LockHandle.State.LOST;
      holding.end();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it ends the same way
      }
      return lost ? ExitCodes.LOCK_LOST : code;
    }
  }

  /** The command, its lock and session; ended once, by whoever comes first. */
  private record Holding(CommandGroup group, LockHandle lock, Session session, Duration grace) {
    /** Stops the command (if still running), then releases the lock and revokes the session. */
    synchronized void end() {
      try {
        group.stop(grace);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.close();
        session.close();
      }
    }
  }

  @Command(name = "list", description = "List locks with their holder and queue.")
  public static final class ListLocks extends CommandBase {
    @Option(
        names = "--prefix",
        defaultValue = "",
        description = "Only locks whose name starts with this.")
    String prefix;

    @Override
    public Integer call() {
      List<LockInfo> locks = await(client().locks().list(prefix)).getLocksList();
      Table t =
          new Table(
              "LOCK",
              "TOKEN",
              "IDENTITY",
              "OWNER",
              "HOST",
              "PID",
              "HELD FOR",
              "LAST KEEPALIVE",
              "WAITERS");
      for (LockInfo l : locks) {
        if (l.hasHolder()) {
          LockClaim h = l.getHolder();
          t.row(
              l.getName(),
              h.getToken(),
              Text.orDash(h.getIdentity()),
              h.getOwner().getName(),
              h.getOwner().getHost(),
              Text.pid(h.getOwner().getPid()),
              heldFor(h),
              keepAlive(h),
              l.getWaitersCount());
        } else {
          t.row(l.getName(), "-", quarantine(l), "", "", "", "", "", l.getWaitersCount());
        }
      }
      return show(Json.list("locks", locks), () -> print(t, "(no locks held or waited for)"));
    }
  }

  @Command(
      name = "show",
      description = {
        "Show who holds lock NAME and who waits.",
        "The holder's host, pid, token, since when and last keep-alive; each waiter in order."
      })
  public static final class Show extends CommandBase {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      LockInfo l = await(client().locks().inspect(name)).getLock();
      return show(l, () -> print(l));
    }

    private void print(LockInfo l) {
      if (!l.hasHolder() && l.getWaitersCount() == 0 && l.getQuarantinedUntilMs() == 0) {
        out().println("lock " + name + " is free");
        return;
      }
      Table t = new Table("FIELD", "VALUE");
      t.row("lock", l.getName());
      if (l.hasHolder()) {
        LockClaim h = l.getHolder();
        Owner o = h.getOwner();
        t.row("holder", o.getName() + " on " + o.getHost() + ", pid " + Text.pid(o.getPid()));
        t.row("identity", Text.orDash(h.getIdentity()));
        t.row("process started", Text.time(o.getProcessStartMs()));
        t.row("token", h.getToken());
        t.row("lease", h.getLease());
        t.row("acquired at", Text.time(h.getAcquiredAtMs()));
        t.row("held for", heldFor(h));
        t.row("last keep-alive", keepAlive(h));
      } else {
        t.row("holder", l.getQuarantinedUntilMs() > 0 ? quarantine(l) : "none");
      }
      t.row("waiters", l.getWaitersCount());
      print(t);
      int i = 1;
      for (LockClaim w : l.getWaitersList()) {
        out()
            .printf(
                "  %d. token %d  %s on %s pid %s  %s  (queued %s, last keep-alive %s)%n",
                i++,
                w.getToken(),
                w.getOwner().getName(),
                w.getOwner().getHost(),
                Text.pid(w.getOwner().getPid()),
                Text.orDash(w.getIdentity()),
                Text.time(w.getQueuedAtMs()),
                keepAlive(w));
      }
      if (l.hasHolder()) {
        out()
            .println(
                "If the holder is gone, its lock frees itself when its lease expires; to free it now:");
        out()
            .println(
                "  aimctl lock release " + name + " --force --reason \"...\" [--quarantine 5s]");
      }
    }
  }

  @Command(
      name = "release",
      description = {
        "Force-release lock NAME, taking it from its holder; recorded in the audit log.",
        "The holder's claim is deleted (its lease and other keys stay), the next waiter gets a"
            + " greater token, and the old holder's fenced writes fail from now on. aimctl releases"
            + " the holder it sees (or --token T only): running it again never takes a later"
            + " holder's lock by accident, and a lock that is free is reported, exit 0."
      })
  public static final class Release extends AuditedCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--force",
        required = true,
        description = "Required: this takes the lock from its holder.")
    boolean force;

    @Option(
        names = "--quarantine",
        defaultValue = "0s",
        paramLabel = "DURATION",
        description =
            "Keep everyone out for this long after the release (e.g. 5s); at most the cluster's"
                + " max-quarantine (1h by default). Lift it early with 'aimctl lock unquarantine'.")
    Duration quarantine;

    @Option(
        names = "--token",
        paramLabel = "T",
        description = "Only release if T is still the holder's token.")
    long token;

    private long target;

    @Override
    public String howToCheck() {
      return "aimctl lock show "
          + name
          + "; to retry safely: aimctl lock release "
          + name
          + " --force --reason ... --token "
          + target;
    }

    /**
     * The lock as the caller sees it, or null if it may not see it: the force-release is then sent
     * anyway, so that its refusal names what a force-release needs (admin), not what a look does.
     */
    private LockInfo seeIfAllowed() {
      try {
        return await(client().locks().inspect(name)).getLock();
      } catch (AimStoreException e) {
        if (e.code() == AimStoreException.Code.PERMISSION_DENIED) {
          return null;
        }
        throw e;
      }
    }

    @Override
    public Integer call() {
      if (!force) {
        throw new UsageError("release takes a lock away from its holder: add --force");
      }
      LockInfo before = seeIfAllowed();
      if (before != null && !before.hasHolder()) {
        return notHeld(before);
      }
      target = token != 0 || before == null ? token : before.getHolder().getToken();
      ForceReleaseResponse r;
      try {
        r =
            await(
                client()
                    .locks()
                    .forceRelease(
                        ForceReleaseRequest.newBuilder()
                            .setName(name)
                            .setReason(reason)
                            .setQuarantineMs(quarantine.toMillis())
                            .setExpectedToken(target)
                            .build()));
      } catch (AimStoreException e) {
        if (e.code() == AimStoreException.Code.FAILED_PRECONDITION) {
          LockInfo now = await(client().locks().inspect(name)).getLock();
          if (!now.hasHolder()) {
            return notHeld(now); // released meanwhile (or by an earlier attempt)
          }
        }
        throw e;
      }
      AuditRecord a = r.getAudit();
      return show(a, () -> released(a));
    }

    private void released(AuditRecord a) {
      out()
          .println(
              "released lock "
                  + name
                  + " (token "
                  + a.getToken()
                  + ", lease "
                  + a.getLease()
                  + ", held by "
                  + Text.orDash(a.getHolderIdentity())
                  + " as "
                  + a.getHolder().getName()
                  + " on "
                  + a.getHolder().getHost()
                  + " pid "
                  + Text.pid(a.getHolder().getPid())
                  + ")");
      if (a.getQuarantinedUntilMs() > 0) {
        out().println("quarantined until " + Text.time(a.getQuarantinedUntilMs()));
      }
      out().println(audited(a) + "; writes fenced with token " + a.getToken() + " now fail");
    }

    private int notHeld(LockInfo l) {
      JsonObject o = Json.proto(l);
      o.addProperty("released", false);
      return show(
          o,
          () ->
              out()
                  .println(
                      "lock "
                          + name
                          + " is not held: nothing to release"
                          + (l.getQuarantinedUntilMs() > 0 ? " (" + quarantine(l) + ")" : "")));
    }
  }

  static String heldFor(LockClaim h) {
    return h.getAcquiredAtMs() == 0
        ? "?"
        : Text.age(Duration.ofMillis(System.currentTimeMillis() - h.getAcquiredAtMs()));
  }

  static String keepAlive(LockClaim c) {
    return Text.ago(c.getLastKeepaliveAgeMs(), "?");
  }

  static String quarantine(LockInfo l) {
    return l.getQuarantinedUntilMs() > 0
        ? "quarantined until " + Text.time(l.getQuarantinedUntilMs())
        : "none";
  }

  @Command(
      name = "unquarantine",
      description = {
        "Lift the quarantine a force-release put on lock NAME; recorded in the audit log.",
        "The first waiter holds the lock at once. Admins only."
      })
  public static final class Unquarantine extends AuditedCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public String howToCheck() {
      return "aimctl lock show " + name;
    }

    @Override
    public Integer call() {
      AuditRecord a;
      try {
        a = await(client().locks().unquarantine(name, reason)).getAudit();
      } catch (AimStoreException e) {
        if (e.code() == AimStoreException.Code.FAILED_PRECONDITION) {
          LockInfo now = await(client().locks().inspect(name)).getLock();
          if (now.getQuarantinedUntilMs() == 0) {
            return show(now, () -> out().println("lock " + name + " is not quarantined"));
          }
        }
        throw e;
      }
      return show(
          a,
          () -> out().println("lifted the quarantine of lock " + name + " (" + audited(a) + ")"));
    }
  }
}
