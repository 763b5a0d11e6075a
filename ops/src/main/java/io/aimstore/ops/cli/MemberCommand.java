package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.MemberAddRequest;
import io.aimstore.api.v1.MemberChangeResponse;
import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.client.AimStoreException;
import io.aimstore.ops.Aimctl.CommandFailure;
import io.aimstore.ops.ExitCodes;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "member",
    description = "Cluster membership: the members, who leads, and changes to the membership.",
    subcommands = {
      MemberCommand.ListCommand.class,
      MemberCommand.LeaderCommand.class,
      MemberCommand.AddCommand.class,
      MemberCommand.PromoteCommand.class,
      MemberCommand.RemoveCommand.class,
      MemberCommand.TransferLeaderCommand.class
    })
public final class MemberCommand {

  @Command(
      name = "list",
      description = {
        "List the members with their addresses, roles and replication state.",
        "Roles: LEADER, FOLLOWER, LISTENER (does not vote), PENDING (added, not in the Raft",
        "configuration yet). From the leader: each member's match index, lag (committed entries",
        "it lacks) and last contact. Without a leader, the answering member's view."
      })
  public static final class ListCommand extends CommandBase {
    @Override
    public Integer call() {
      MemberListResponse resp = members();
      return show(resp, () -> print(table(resp.getMembersList())));
    }

    /** The leader's view, else (no leader) the answering member's. */
    private MemberListResponse members() {
      try {
        return await(client().cluster().membersFromLeader());
      } catch (AimStoreException e) {
        if (e.code() != AimStoreException.Code.UNAVAILABLE) {
          throw e;
        }
        err().println("no leader answered (" + e.getMessage() + "); one member's view:");
        return await(client().cluster().members());
      }
    }
  }

  static Table table(List<Member> members) {
    Table t =
        new Table(
            "NAME", "ID", "PEER", "CLIENT", "METRICS", "ROLE", "MATCH", "LAG", "LAST-CONTACT");
    for (Member m : members) {
      t.row(
          m.getName(),
          Json.hexId(m.getId()),
          m.getPeerAddress(),
          m.getClientAddress(),
          m.getMetricsAddress(),
          m.getRole() + (m.getAutoPromote() ? " (auto-promote)" : ""),
          m.hasMatchIndex() ? Long.toString(m.getMatchIndex()) : "-",
          m.hasLag() ? Long.toString(m.getLag()) : "-",
          m.hasLastContactMs() ? m.getLastContactMs() + "ms" : "-");
    }
    return t;
  }

  @Command(
      name = "leader",
      description = "Print the name of the member that leads now (exit 4 when there is none).")
  public static final class LeaderCommand extends CommandBase {
    @Override
    public Integer call() {
      String leader = await(client().cluster().status("")).getLeaderName();
      if (leader.isEmpty()) {
        throw new CommandFailure(
            "no leader right now (an election in progress, or no quorum)", ExitCodes.NO_QUORUM);
      }
      JsonObject o = new JsonObject();
      o.addProperty("leader_name", leader);
      return show(o, () -> out().println(leader));
    }
  }

  /** What the membership changes share: member NAME, a reason, the answer printed the same way. */
  abstract static class ChangeCommand extends AuditedCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public String howToCheck() {
      return "aimctl member list; aimctl audit";
    }

    int done(MemberChangeResponse r, String what) {
      return show(
          r,
          () -> {
            out().println(what + " (" + audited(r.getAudit()) + ")");
            print(table(r.getMembersList()));
          });
    }
  }

  @Command(
      name = "add",
      description = {
        "Add member NAME at HOST:RAFT_PORT:CLIENT_PORT[:METRICS_PORT].",
        "Start it first, with the other members in its config and join = true",
        "(docs/operations.md, \"Membership\").",
        "It joins as a listener, catches up from the leader (snapshot and log), and the leader",
        "promotes it to voter once it lacks at most 100 committed entries (--manual-promote:",
        "stays a listener until 'aimctl member promote'). Admins only; audited."
      })
  public static final class AddCommand extends ChangeCommand {
    @Parameters(index = "1", paramLabel = "HOST:RAFT_PORT:CLIENT_PORT[:METRICS_PORT]")
    String address;

    @Option(names = "--manual-promote", description = "Stay a listener until promoted by hand.")
    boolean manualPromote;

    @Option(
        names = "--wait",
        description =
            "Wait until the new member votes (or, with --manual-promote, until it is a listener"
                + " that has caught up), at most this long (e.g. 60s).")
    String wait;

    @Override
    public Integer call() {
      String[] parts = address.split(":");
      if (parts.length < 3 || parts.length > 4 || parts[0].isEmpty()) {
        throw new CommandFailure(
            "address must be HOST:RAFT_PORT:CLIENT_PORT[:METRICS_PORT], got '" + address + "'",
            ExitCodes.USAGE);
      }
      String host = parts[0];
      MemberAddRequest.Builder req =
          MemberAddRequest.newBuilder()
              .setName(name)
              .setRaftAddress(host + ":" + parts[1])
              .setClientAddress(host + ":" + parts[2])
              .setManualPromote(manualPromote)
              .setReason(reason);
      if (parts.length == 4) {
        req.setMetricsAddress(host + ":" + parts[3]);
      }
      MemberChangeResponse r = await(client().cluster().addMember(req.build()));
      if (wait != null) {
        awaitMember(this, name, manualPromote ? "LISTENER" : "FOLLOWER", Durations.parse(wait));
        r = r.toBuilder().clearMembers().addAllMembers(leaderView(this)).build();
      }
      return done(r, "added member " + name);
    }
  }

  @Command(
      name = "promote",
      description = {
        "Make listener NAME a voter.",
        "It must lack at most 100 committed entries (see 'aimctl member list').",
        "Admins only; audited."
      })
  public static final class PromoteCommand extends ChangeCommand {
    @Override
    public Integer call() {
      return done(await(client().cluster().promoteMember(name, reason)), "promoted member " + name);
    }
  }

  @Command(
      name = "remove",
      description = {
        "Remove member NAME (voter, listener, or one whose add did not complete).",
        "Not the leader: move the leadership first with 'aimctl member transfer-leader'.",
        "Stop the removed member's process afterwards and delete its data. Admins only; audited."
      })
  public static final class RemoveCommand extends ChangeCommand {
    @Override
    public Integer call() {
      return done(await(client().cluster().removeMember(name, reason)), "removed member " + name);
    }
  }

  @Command(
      name = "transfer-leader",
      description = "Make voter NAME the leader (one election). Admins only; audited.")
  public static final class TransferLeaderCommand extends ChangeCommand {
    @Override
    public Integer call() {
      return done(await(client().cluster().transferLeadership(name, reason)), name + " leads now");
    }
  }

  private static List<Member> leaderView(CommandBase c) {
    return c.client().cluster().membersFromLeader().join().getMembersList();
  }

  /** Polls the leader's list until {@code name} has {@code role} (and, as a listener, no lag). */
  private static void awaitMember(CommandBase c, String name, String role, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        for (Member m : leaderView(c)) {
          if (m.getName().equals(name)
              && m.getRole().equals(role)
              && (!role.equals("LISTENER") || (m.hasLag() && m.getLag() <= 100))) {
            return;
          }
        }
      } catch (RuntimeException e) {
        // no leader for a moment: ask again
      }
      if (System.nanoTime() > deadline) {
        throw new CommandFailure(
            "member "
                + name
                + " is not a "
                + role
                + " after "
                + limit.toSeconds()
                + "s; see"
                + " 'aimctl member list'",
            ExitCodes.FAILED);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailure("interrupted", ExitCodes.FAILED);
      }
    }
  }
}
