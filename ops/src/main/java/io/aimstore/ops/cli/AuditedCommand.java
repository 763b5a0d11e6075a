package io.aimstore.ops.cli;

import picocli.CommandLine.Option;

/**
 * An admin change the store records in its audit log: it takes the operator's {@code --reason}
 * (required), and a failure says whether the change applied and how to check ({@link
 * #howToCheck()}).
 */
public abstract class AuditedCommand extends CommandBase {
  @Option(names = "--reason", required = true, description = "Why (recorded in the audit log).")
  protected String reason;

  @Override
  public final boolean writes() {
    return true;
  }

  /** The command that shows whether the change applied (e.g. "aimctl role list"). */
  @Override
  public abstract String howToCheck();
}
