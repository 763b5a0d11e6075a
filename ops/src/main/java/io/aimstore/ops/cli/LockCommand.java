package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.ForceReleaseResponse;
import io.aimstore.api.v1.LockClaim;
import io.aimstore.api.v1.LockInfo;
import io.aimstore.api.v1.Owner;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.ops.Aimctl;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "lock",
    description = "Fair, fenced locks that die with their holder's session.",
    subcommands = {
      LockCommand.Run.class,
      LockCommand.ListLocks.class,
      LockCommand.Show.class,
      LockCommand.Release.class
    })
public final class LockCommand {

  @Command(
      name = "run",
      description = {
        "Hold lock NAME while CMD runs: acquire (waiting up to --wait), run CMD with",
        "AIMSTORE_LOCK_NAME and AIMSTORE_LOCK_TOKEN in its environment, release, and exit with CMD's",
        "status. If the lock is lost while CMD runs (session expired, force-released), CMD is",
        "stopped and aimctl exits 1. Example: aimctl lock run aim_lock_config.conf --ttl 3 -- ./push.sh"
      })
  public static final class Run extends CommandBase {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(
        index = "1..*",
        paramLabel = "CMD",
        arity = "1..*",
        description = "The command (after --).")
    List<String> command = new ArrayList<>();

    @Option(
        names = "--ttl",
        defaultValue = "10",
        description =
            "Session TTL in seconds: the lock frees this long after aimctl dies. Default: ${DEFAULT-VALUE}.")
    long ttl;

    @Option(
        names = "--wait",
        defaultValue = "0",
        converter = Aimctl.DurationConverter.class,
        description = "How long to wait for the lock (e.g. 15s). Default: do not wait.")
    Duration wait;

    @Override
    public Integer call() throws Exception {
      try (Session session = client().session(SessionOptions.ttl(Duration.ofSeconds(ttl)))) {
        LockHandle lock = client().locks().acquire(name, session, wait);
        spec.commandLine()
            .getErr()
            .println(
                "aimctl: holding lock "
                    + name
                    + " with token "
                    + lock.token()
                    + " (lease "
                    + session.leaseId()
                    + ")");
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("AIMSTORE_LOCK_NAME", name);
        pb.environment().put("AIMSTORE_LOCK_TOKEN", Long.toString(lock.token()));
        Process child = pb.start();
        lock.ended()
            .thenAccept(
                s -> {
                  if (s == LockHandle.State.LOST && child.isAlive()) {
                    spec.commandLine()
                        .getErr()
                        .println("aimctl: lock " + name + " was lost; stopping " + command.get(0));
                    child.destroy();
                  }
                });
        int code = child.waitFor();
        boolean lost = lock.state() == LockHandle.State.LOST;
        lock.close();
        return lost ? 1 : code;
      }
    }
  }

  @Command(name = "list", description = "Locks with their holder and queue.")
  public static final class ListLocks extends CommandBase {
    @Option(
        names = "--prefix",
        defaultValue = "",
        description = "Only locks whose name starts with this.")
    String prefix;

    @Override
    public Integer call() {
      List<LockInfo> locks = await(client().locks().list(prefix)).getLocksList();
      if (json()) {
        JsonArray a = new JsonArray();
        locks.forEach(l -> a.add(LockCommand.json(l)));
        JsonObject o = new JsonObject();
        o.add("locks", a);
        print(o);
        return 0;
      }
      if (locks.isEmpty()) {
        out().println("(no locks held or waited for)");
        return 0;
      }
      Table t =
          new Table(
              "LOCK", "TOKEN", "OWNER", "HOST", "PID", "HELD FOR", "LAST KEEPALIVE", "WAITERS");
      for (LockInfo l : locks) {
        if (l.hasHolder()) {
          LockClaim h = l.getHolder();
          t.row(
              l.getName(),
              h.getToken(),
              h.getOwner().getName(),
              h.getOwner().getHost(),
              h.getOwner().getPid(),
              heldFor(h),
              keepAlive(h),
              l.getWaitersCount());
        } else {
          t.row(l.getName(), "-", quarantine(l), "", "", "", "", l.getWaitersCount());
        }
      }
      print(t);
      return 0;
    }
  }

  @Command(
      name = "show",
      description = "Who holds lock NAME (host, pid, since when, last keep-alive) and who waits.")
  public static final class Show extends CommandBase {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      LockInfo l = await(client().locks().inspect(name)).getLock();
      if (json()) {
        print(LockCommand.json(l));
        return 0;
      }
      if (!l.hasHolder() && l.getWaitersCount() == 0 && l.getQuarantinedUntilMs() == 0) {
        out().println("lock " + name + " is free");
        return 0;
      }
      Table t = new Table("FIELD", "VALUE");
      t.row("lock", l.getName());
      if (l.hasHolder()) {
        LockClaim h = l.getHolder();
        Owner o = h.getOwner();
        t.row("holder", o.getName() + " on " + o.getHost() + ", pid " + o.getPid());
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
                "  %d. token %d  %s on %s pid %d  (queued %s, last keep-alive %s)%n",
                i++,
                w.getToken(),
                w.getOwner().getName(),
                w.getOwner().getHost(),
                w.getOwner().getPid(),
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
      return 0;
    }
  }

  @Command(
      name = "release",
      description = {
        "Force-release lock NAME: the holder's claim is deleted (its lease and other keys stay), the",
        "next waiter gets a greater token, and the old holder's fenced writes fail from now on.",
        "Recorded in the audit log (aimctl audit)."
      })
  public static final class Release extends CommandBase {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--force",
        required = true,
        description = "Required: this takes the lock from its holder.")
    boolean force;

    @Option(names = "--reason", required = true, description = "Why (recorded in the audit log).")
    String reason;

    @Option(
        names = "--quarantine",
        defaultValue = "0",
        converter = Aimctl.DurationConverter.class,
        description = "Keep everyone out for this long after the release (e.g. 5s).")
    Duration quarantine;

    @Option(names = "--token", description = "Only release if this is still the holder's token.")
    long token;

    @Option(names = "--operator", description = "Who does this (default: $USER@host).")
    String operator;

    @Override
    public Integer call() {
      if (!force) {
        throw new UsageError("release takes a lock away from its holder: add --force");
      }
      String who =
          operator != null
              ? operator
              : System.getProperty("user.name", "unknown") + "@" + client().owner().getHost();
      ForceReleaseResponse r =
          await(
              client()
                  .locks()
                  .forceRelease(
                      ForceReleaseRequest.newBuilder()
                          .setName(name)
                          .setReason(reason)
                          .setOperator(who)
                          .setQuarantineMs(quarantine.toMillis())
                          .setExpectedToken(token)
                          .build()));
      if (json()) {
        print(AuditCommand.json(r.getAudit()));
      } else {
        out()
            .println(
                "released lock "
                    + name
                    + " (token "
                    + r.getAudit().getToken()
                    + ", lease "
                    + r.getAudit().getLease()
                    + ", held by "
                    + r.getAudit().getHolder().getName()
                    + " on "
                    + r.getAudit().getHolder().getHost()
                    + " pid "
                    + r.getAudit().getHolder().getPid()
                    + ")");
        if (r.getAudit().getQuarantinedUntilMs() > 0) {
          out().println("quarantined until " + Text.time(r.getAudit().getQuarantinedUntilMs()));
        }
        out()
            .println(
                "audit record at revision "
                    + r.getAudit().getRevision()
                    + "; writes fenced with token "
                    + r.getAudit().getToken()
                    + " now fail");
      }
      return 0;
    }
  }

  static String heldFor(LockClaim h) {
    return h.getAcquiredAtMs() == 0
        ? "?"
        : Text.age(Duration.ofMillis(System.currentTimeMillis() - h.getAcquiredAtMs()));
  }

  static String keepAlive(LockClaim c) {
    return c.getLastKeepaliveAgeMs() < 0
        ? "?"
        : Text.age(Duration.ofMillis(c.getLastKeepaliveAgeMs())) + " ago";
  }

  static String quarantine(LockInfo l) {
    return l.getQuarantinedUntilMs() > 0
        ? "quarantined until " + Text.time(l.getQuarantinedUntilMs())
        : "none";
  }

  static JsonObject json(LockInfo l) {
    JsonObject o = new JsonObject();
    o.addProperty("name", l.getName());
    if (l.hasHolder()) {
      o.add("holder", claim(l.getHolder()));
    }
    JsonArray w = new JsonArray();
    l.getWaitersList().forEach(c -> w.add(claim(c)));
    o.add("waiters", w);
    o.addProperty("quarantined_until_ms", l.getQuarantinedUntilMs());
    return o;
  }

  static JsonObject claim(LockClaim c) {
    JsonObject o = new JsonObject();
    o.addProperty("token", c.getToken());
    o.addProperty("lease", c.getLease());
    o.add("owner", LeaseCommand.owner(c.getOwner()));
    o.addProperty("queued_at_ms", c.getQueuedAtMs());
    o.addProperty("acquired_at_ms", c.getAcquiredAtMs());
    o.addProperty("last_keepalive_age_ms", c.getLastKeepaliveAgeMs());
    Json.putBytes(o, "key", c.getKey());
    return o;
  }
}
