package io.aimstore.ops.cli;

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
      "Show admin actions recorded by the store: who (their verified identity), when, why, what"
          + " was acted on and who held it.",
      "Force-releases and quarantines, other identities' leases revoked or adopted, compactions,"
          + " fleet holds, role, binding and block changes. Admins only."
    })
public final class AuditCommand extends CommandBase {
  @Option(names = "--since", description = "Only the last DURATION (e.g. 1h).")
  Duration since;

  @Override
  public Integer call() {
    long sinceMs = since == null ? 0 : System.currentTimeMillis() - since.toMillis();
    List<AuditRecord> records = await(client().locks().audit(sinceMs)).getRecordsList();
    Table t =
        new Table("TIME", "ACTION", "OPERATOR", "SUBJECT", "HELD BY", "REASON", "QUARANTINE UNTIL");
    for (AuditRecord r : records) {
      t.row(
          Text.time(r.getAtMs()),
          r.getAction(),
          r.getOperator(),
          subject(r),
          heldBy(r),
          r.getReason(),
          r.getQuarantinedUntilMs() > 0 ? Text.time(r.getQuarantinedUntilMs()) : "-");
    }
    return show(Json.list("records", records), () -> print(t, "(no audit records)"));
  }

  /** "lock aim/f1/config token 7", or the record's own subject ("lease 42", "role x"). */
  private static String subject(AuditRecord r) {
    if (!r.getLock().isEmpty()) {
      return "lock " + r.getLock() + (r.getToken() > 0 ? " token " + r.getToken() : "");
    }
    return Text.orDash(r.getSubject());
  }

  /** The identity whose lease or lock the action took, with its self-reported owner. */
  private static String heldBy(AuditRecord r) {
    if (!r.hasHolder() && r.getHolderIdentity().isEmpty()) {
      return "-";
    }
    String who = Text.orDash(r.getHolderIdentity());
    if (!r.hasHolder()) {
      return who;
    }
    return who
        + " ("
        + r.getHolder().getName()
        + "@"
        + r.getHolder().getHost()
        + " pid "
        + Text.pid(r.getHolder().getPid())
        + ")";
  }
}
