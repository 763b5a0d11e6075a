package io.aimstore.ops.cli;

import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.AuthChangeResponse;
import io.aimstore.ops.output.Json;

/** How role, binding and block changes report themselves: what changed and its audit record. */
final class AuthOutput {
  private AuthOutput() {}

  static void changed(CommandBase cmd, AuthChangeResponse r, String what) {
    if (cmd.json()) {
      cmd.print(Json.proto(r));
      return;
    }
    cmd.out().println(what);
    cmd.out().println(audited(r.getAudit()));
  }

  /** "audit record at revision 12 by spiffe://aimstore/operator/admin". */
  static String audited(AuditRecord a) {
    return "audit record at revision " + a.getRevision() + " by " + a.getOperator();
  }
}
