package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "audit",
    description = {
      "Show operator actions recorded by the store: who, when, why, what was held.",
      "Today these are lock force-releases (aimctl lock release --force)."
    })
public final class AuditCommand extends CommandBase {
  @Option(
      names = "--since",
      converter = Durations.Converter.class,
      description = "Only the last DURATION (e.g. 1h).")
  Duration since;

  @Override
  public Integer call() {
    long sinceMs = since == null ? 0 : System.currentTimeMillis() - since.toMillis();
    List<AuditRecord> records = await(client().locks().audit(sinceMs)).getRecordsList();
    if (json()) {
      JsonObject o = new JsonObject();
      o.add("records", Json.protos(records));
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
}
