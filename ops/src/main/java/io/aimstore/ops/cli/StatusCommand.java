package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.ops.Aimctl;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    description = "Show every member: role, term, revision, applied index, size.")
public final class StatusCommand extends CommandBase {
  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      converter = Aimctl.DurationConverter.class,
      description =
          "Wait up to DURATION until the cluster has a leader and serves a linearizable read.")
  Duration wait;

  @Override
  public Integer call() throws InterruptedException {
    if (wait != null) {
      awaitServing(client(), wait, root().err());
    }
    MemberListResponse list = await(client().cluster().members());
    Map<String, CompletableFuture<StatusResponse>> statuses = new LinkedHashMap<>();
    for (Member m : list.getMembersList()) {
      statuses.put(m.getName(), client().cluster().status(m.getName()));
    }
    List<Row> rows = new ArrayList<>();
    for (Member m : list.getMembersList()) {
      try {
        rows.add(new Row(m, statuses.get(m.getName()).join(), null));
      } catch (RuntimeException e) {
        rows.add(new Row(m, null, AimStoreException.from(e).getMessage()));
      }
    }
    if (json()) {
      JsonArray a = new JsonArray();
      for (Row r : rows) {
        a.add(r.json());
      }
      JsonObject o = new JsonObject();
      o.add("members", a);
      rows.stream()
          .filter(r -> r.status != null && !r.status.getLeaderName().isEmpty())
          .findFirst()
          .ifPresent(r -> o.addProperty("leader", r.status.getLeaderName()));
      print(o);
      return 0;
    }
    Table t =
        new Table(
            "MEMBER",
            "CLIENT",
            "ROLE",
            "TERM",
            "REVISION",
            "APPLIED",
            "COMMIT",
            "DB SIZE",
            "VERSION");
    for (Row r : rows) {
      if (r.status == null) {
        t.row(
            r.member.getName(),
            r.member.getClientAddress(),
            "UNREACHABLE",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-");
      } else {
        StatusResponse s = r.status;
        t.row(
            r.member.getName(),
            r.member.getClientAddress(),
            s.getRole(),
            s.getRaftTerm(),
            s.getHeader().getRevision(),
            s.getRaftAppliedIndex(),
            s.getRaftCommitIndex(),
            Text.size(s.getDbSize()),
            s.getVersion());
      }
    }
    print(t);
    for (Row r : rows) {
      if (r.error != null) {
        out().println(r.member.getName() + ": " + r.error);
      }
    }
    return 0;
  }

  /** Polls until a linearizable read succeeds, printing progress; fails after {@code wait}. */
  static void awaitServing(AimStoreClient client, Duration wait, java.io.PrintStream err)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    long start = System.nanoTime();
    String last = "";
    while (true) {
      try {
        client.kv().get("/_aimstore/ping").get();
        return;
      } catch (Exception e) {
        last = AimStoreException.from(e).getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new AimStoreException(
            AimStoreException.Code.UNAVAILABLE,
            "cluster did not serve within " + wait.toSeconds() + "s; last error: " + last,
            AimStoreException.Outcome.NOT_APPLIED,
            null);
      }
      err.printf("\rwaiting for a leader... %ds", (System.nanoTime() - start) / 1_000_000_000);
      Thread.sleep(250);
    }
  }

  private record Row(Member member, StatusResponse status, String error) {
    JsonObject json() {
      JsonObject o = new JsonObject();
      o.addProperty("name", member.getName());
      o.addProperty("client_address", member.getClientAddress());
      if (status == null) {
        o.addProperty("error", error);
        return o;
      }
      o.addProperty("role", status.getRole());
      o.addProperty("leader", status.getLeaderName());
      o.addProperty("raft_term", status.getRaftTerm());
      o.addProperty("revision", status.getHeader().getRevision());
      o.addProperty("compact_revision", status.getCompactRevision());
      o.addProperty("raft_applied_index", status.getRaftAppliedIndex());
      o.addProperty("raft_commit_index", status.getRaftCommitIndex());
      o.addProperty("db_size", status.getDbSize());
      o.addProperty("version", status.getVersion());
      return o;
    }
  }
}
