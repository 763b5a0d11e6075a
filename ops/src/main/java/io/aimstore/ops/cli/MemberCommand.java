package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.client.AimStoreException;
import io.aimstore.ops.output.Table;
import picocli.CommandLine.Command;

@Command(
    name = "member",
    description = "Cluster membership.",
    subcommands = {MemberCommand.ListCommand.class, MemberCommand.LeaderCommand.class})
public final class MemberCommand {

  @Command(name = "list", description = "List the members and their addresses.")
  public static final class ListCommand extends CommandBase {
    @Override
    public Integer call() {
      MemberListResponse resp = await(client().cluster().members());
      if (json()) {
        JsonArray a = new JsonArray();
        for (Member m : resp.getMembersList()) {
          JsonObject o = new JsonObject();
          o.addProperty("name", m.getName());
          o.addProperty("id", Long.toUnsignedString(m.getId(), 16));
          o.addProperty("peer_address", m.getPeerAddress());
          o.addProperty("client_address", m.getClientAddress());
          o.addProperty("metrics_address", m.getMetricsAddress());
          o.addProperty("role", m.getRole());
          a.add(o);
        }
        JsonObject o = new JsonObject();
        o.add("members", a);
        print(o);
        return 0;
      }
      Table t = new Table("NAME", "ID", "PEER", "CLIENT", "METRICS", "ROLE");
      for (Member m : resp.getMembersList()) {
        t.row(
            m.getName(),
            Long.toUnsignedString(m.getId(), 16),
            m.getPeerAddress(),
            m.getClientAddress(),
            m.getMetricsAddress(),
            m.getRole());
      }
      print(t);
      return 0;
    }
  }

  @Command(name = "leader", description = "Print the name of the member that leads now.")
  public static final class LeaderCommand extends CommandBase {
    @Override
    public Integer call() {
      String leader = await(client().cluster().status("")).getLeaderName();
      if (leader.isEmpty()) {
        throw new AimStoreException(
            AimStoreException.Code.UNAVAILABLE,
            "no leader right now (election in progress?)",
            AimStoreException.Outcome.NOT_APPLIED,
            null);
      }
      if (json()) {
        JsonObject o = new JsonObject();
        o.addProperty("leader", leader);
        print(o);
      } else {
        out().println(leader);
      }
      return 0;
    }
  }
}
