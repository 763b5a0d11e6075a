package io.aimstore.ops.cli;

import io.aimstore.api.v1.AuditRecord;
import picocli.CommandLine.Option;

/**
 * An admin change the store records in its audit log: it takes the operator's {@code --reason}
 * (required), and a failure says whether the change applied and how to check ({@link
 * #howToCheck()}).
 */
public abstract class AuditedCommand extends WriteCommand {
  @Option(names = "--reason", required = true, description = "Why (recorded in the audit log).")
  protected String reason;

  /** The command that shows whether the change applied (e.g. "aimctl role list"). */
  @Override
  public abstract String howToCheck();

  /** "audit record at revision 12 by spiffe://aimstore/operator/admin". */
  static String audited(AuditRecord a) {
    return "audit record at revision " + a.getRevision() + " by " + a.getOperator();
  }
}
