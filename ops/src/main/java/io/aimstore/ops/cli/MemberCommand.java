package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.ops.Aimctl.CommandFailure;
import io.aimstore.ops.ExitCodes;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import picocli.CommandLine.Command;

@Command(
    name = "member",
    description = "Cluster membership: the members and who leads.",
    subcommands = {MemberCommand.ListCommand.class, MemberCommand.LeaderCommand.class})
public final class MemberCommand {

  @Command(name = "list", description = "List the members with their addresses and roles.")
  public static final class ListCommand extends CommandBase {
    @Override
    public Integer call() {
      MemberListResponse resp = await(client().cluster().members());
      if (json()) {
        print(Json.proto(resp));
        return 0;
      }
      Table t = new Table("NAME", "ID", "PEER", "CLIENT", "METRICS", "ROLE");
      for (Member m : resp.getMembersList()) {
        t.row(
            m.getName(),
            Json.hexId(m.getId()),
            m.getPeerAddress(),
            m.getClientAddress(),
            m.getMetricsAddress(),
            m.getRole());
      }
      print(t);
      return 0;
    }
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
      if (json()) {
        JsonObject o = new JsonObject();
        o.addProperty("leader_name", leader);
        print(o);
      } else {
        out().println(leader);
      }
      return 0;
    }
  }
}
