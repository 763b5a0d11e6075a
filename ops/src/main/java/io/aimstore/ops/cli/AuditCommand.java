package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.ops.Aimctl;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "audit",
    description =
        "Operator actions recorded by the store (force-releases): who, when, why, what was held.")
public final class AuditCommand extends CommandBase {
  @Option(
      names = "--since",
      converter = Aimctl.DurationConverter.class,
      description = "Only the last DURATION (e.g. 1h).")
  Duration since;

  @Override
  public Integer call() {
    long sinceMs = since == null ? 0 : System.currentTimeMillis() - since.toMillis();
    List<AuditRecord> records = await(client().locks().audit(sinceMs)).getRecordsList();
    if (json()) {
      JsonArray a = new JsonArray();
      records.forEach(r -> a.add(json(r)));
      JsonObject o = new JsonObject();
      o.add("records", a);
      print(o);
      return 0;
    }
    if (records.isEmpty()) {
      out().println("(no audit records)");
      return 0;
    }
    Table t =
        new Table(
            "TIME", "ACTION", "OPERATOR", "LOCK", "TOKEN", "HELD BY", "REASON", "QUARANTINE UNTIL");
    for (AuditRecord r : records) {
      t.row(
          Text.time(r.getAtMs()),
          r.getAction(),
          r.getOperator(),
          r.getLock(),
          r.getToken(),
          r.getHolder().getName()
              + "@"
              + r.getHolder().getHost()
              + " pid "
              + r.getHolder().getPid(),
          r.getReason(),
          r.getQuarantinedUntilMs() > 0 ? Text.time(r.getQuarantinedUntilMs()) : "-");
    }
    print(t);
    return 0;
  }

  static JsonObject json(AuditRecord r) {
    JsonObject o = new JsonObject();
    o.addProperty("revision", r.getRevision());
    o.addProperty("at_ms", r.getAtMs());
    o.addProperty("action", r.getAction());
    o.addProperty("operator", r.getOperator());
    o.addProperty("reason", r.getReason());
    o.addProperty("lock", r.getLock());
    o.addProperty("token", r.getToken());
    o.addProperty("lease", r.getLease());
    o.add("holder", LeaseCommand.owner(r.getHolder()));
    o.addProperty("quarantined_until_ms", r.getQuarantinedUntilMs());
    return o;
  }
}
