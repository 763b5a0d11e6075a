package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.aimstore.api.v1.LeaseGrantResponse;
import io.aimstore.api.v1.LeaseInfo;
import io.aimstore.api.v1.LeaseLeasesRequest;
import io.aimstore.api.v1.LeaseLeasesResponse;
import io.aimstore.api.v1.LeaseTimeToLiveResponse;
import io.aimstore.api.v1.Owner;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "lease",
    description = "Leases: keys and locks attached to a lease go when it expires or is revoked.",
    subcommands = {
      LeaseCommand.Grant.class,
      LeaseCommand.KeepAlive.class,
      LeaseCommand.Revoke.class,
      LeaseCommand.ListLeases.class,
      LeaseCommand.Show.class
    })
public final class LeaseCommand {

  @Command(
      name = "grant",
      description = {
        "Grant a lease of TTL owned by this process; prints only its id.",
        "TTL: seconds (10) or a duration (90s, 5m), rounded up to whole seconds; the store accepts"
            + " 2s to 30d. Example: ID=$(aimctl lease grant 10)"
      })
  public static final class Grant extends WriteCommand {
    @Parameters(
        index = "0",
        paramLabel = "TTL",
        description = "Time to live: seconds, or a duration such as 90s.")
    Duration ttl;

    @Override
    public String howToCheck() {
      return "aimctl lease list";
    }

    @Override
    public Integer call() {
      LeaseGrantResponse r = await(client().leases().grant(ttl));
      return show(r, () -> out().println(r.getId()));
    }
  }

  @Command(
      name = "keepalive",
      description = {
        "Keep lease ID alive until this process is stopped.",
        "It records this process as the lease's owner first, prints each state change, and exits 1"
            + " when the lease is lost."
      })
  public static final class KeepAlive extends CommandBase {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    public Integer call() throws Exception {
      LeaseTimeToLiveResponse ttl = await(client().leases().timeToLive(id, false));
      Duration d = Duration.ofSeconds(ttl.getLease().getGrantedTtl());
      Session session = client().session(SessionOptions.ttl(d).withLease(id));
      report(
          "lease "
              + id
              + " kept alive by pid "
              + ProcessHandle.current().pid()
              + " (TTL "
              + d.toSeconds()
              + "s)",
          session.state());
      session.addListener((s, from, to) -> report("lease " + id + ": " + from + " -> " + to, to));
      Session.State end = session.ended().get();
      return end == Session.State.LOST ? 1 : 0;
    }

    private void report(String line, Session.State state) {
      if (json()) {
        JsonObject o = new JsonObject();
        o.addProperty("lease", id);
        o.addProperty("state", state.name());
        o.addProperty("at_ms", System.currentTimeMillis());
        out().println(Json.line(o));
      } else {
        out().println(line);
      }
      out().flush();
    }
  }

  @Command(
      name = "revoke",
      description = {
        "Revoke lease ID: its keys and locks go now.",
        "Idempotent: a lease that is already gone (revoked or expired) is reported, exit 0.",
        "Revoking another identity's lease takes an admin and is recorded in the audit log."
      })
  public static final class Revoke extends WriteCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(
        names = "--reason",
        description = "Why (recorded in the audit log when the lease is another identity's).")
    String reason = "";

    @Override
    public String howToCheck() {
      return "aimctl lease show " + id;
    }

    @Override
    public Integer call() {
      OptionalLong deleted = revoke();
      JsonObject o = new JsonObject();
      o.addProperty("id", id);
      o.addProperty("deleted_keys", deleted.orElse(0));
      o.addProperty("already_gone", deleted.isEmpty());
      return show(
          o,
          () ->
              out()
                  .println(
                      deleted.isEmpty()
                          ? "lease " + id + " is already gone (revoked or expired)"
                          : "lease " + id + " revoked; " + deleted.getAsLong() + " keys deleted"));
    }

    /** How many keys went with the lease; empty if it was already gone. */
    private OptionalLong revoke() {
      try {
        return OptionalLong.of(await(client().leases().revoke(id, reason)).getDeletedKeys());
      } catch (AimStoreException e) {
        if (e.code() != AimStoreException.Code.NOT_FOUND) {
          throw e;
        }
        return OptionalLong.empty();
      }
    }
  }

  @Command(
      name = "list",
      description =
          "List leases: identity, owner, host, pid, TTL, remaining, last keep-alive, keys.")
  public static final class ListLeases extends CommandBase {
    @Option(names = "--host", description = "Only leases owned on this host.")
    String host;

    @Option(names = "--name", description = "Only leases with this owner name.")
    String name;

    @Option(
        names = "--label",
        paramLabel = "K=V",
        description = "Only leases whose owner has this label (repeatable).")
    List<String> labels = new ArrayList<>();

    @Override
    public Integer call() {
      LeaseLeasesRequest.Builder r = LeaseLeasesRequest.newBuilder();
      if (host != null) {
        r.setOwnerHost(host);
      }
      if (name != null) {
        r.setOwnerName(name);
      }
      for (String l : labels) {
        int eq = l.indexOf('=');
        if (eq <= 0) {
          throw new UsageError("--label must be K=V, got '" + l + "'");
        }
        r.putLabels(l.substring(0, eq), l.substring(eq + 1));
      }
      List<LeaseInfo> all = new ArrayList<>();
      long after = 0;
      do {
        LeaseLeasesResponse page = await(client().leases().list(r.setAfterId(after).build()));
        all.addAll(page.getLeasesList());
        after = page.getNextAfterId();
      } while (after != 0);
      Table t =
          new Table(
              "ID",
              "IDENTITY",
              "OWNER",
              "HOST",
              "PID",
              "TTL",
              "REMAINING",
              "LAST KEEPALIVE",
              "KEYS");
      for (LeaseInfo i : all) {
        Owner o = i.getOwner();
        t.row(
            i.getId(),
            Text.orDash(i.getIdentity()),
            o.getName(),
            o.getHost(),
            Text.pid(o.getPid()),
            i.getGrantedTtl() + "s",
            ms(i.getRemainingMs()),
            Text.ago(i.getLastKeepaliveAgeMs(), "?"),
            i.getKeyCount());
      }
      return show(Json.list("leases", all), () -> print(t, "(no leases)"));
    }
  }

  @Command(name = "show", description = "Everything about lease ID, with its attached keys.")
  public static final class Show extends CommandBase {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
      LeaseTimeToLiveResponse r = await(client().leases().timeToLive(id, true));
      LeaseInfo i = r.getLease();
      if (json()) {
        JsonObject o = Json.proto(i);
        JsonArray keys = new JsonArray();
        r.getKeysList().forEach(k -> keys.add(Text.bytes(k)));
        o.add("keys", keys);
        print(o);
        return 0;
      }
      Owner o = i.getOwner();
      Table t = new Table("FIELD", "VALUE");
      t.row("id", i.getId());
      t.row("identity", Text.orDash(i.getIdentity()));
      t.row("owner", o.getName());
      t.row("host", o.getHost());
      t.row("pid", Text.pid(o.getPid()));
      t.row("process started", Text.time(o.getProcessStartMs()));
      for (Map.Entry<String, String> l : o.getLabelsMap().entrySet()) {
        t.row("label " + l.getKey(), l.getValue());
      }
      t.row("granted at", Text.time(i.getGrantedAtMs()));
      t.row("ttl", i.getGrantedTtl() + "s");
      t.row("remaining", ms(i.getRemainingMs()));
      t.row("last keep-alive", Text.ago(i.getLastKeepaliveAgeMs(), "unknown"));
      t.row("keys", i.getKeyCount());
      print(t);
      for (ByteString k : r.getKeysList()) {
        out().println("  " + Text.bytes(k));
      }
      return 0;
    }
  }

  static String ms(long ms) {
    return ms < 0 ? "?" : String.format("%.1fs", ms / 1000.0);
  }
}
