package io.aimstore.ops.cli;

/**
 * A command that changes state: when it fails, the error report says whether the change applied,
 * and how to check ({@link #howToCheck()}) when that is unknown.
 */
public abstract class WriteCommand extends CommandBase {
  @Override
  public final boolean writes() {
    return true;
  }
}
