package io.aimstore.ops.cli;

import io.aimstore.api.v1.AuthChangeResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A role, binding or block change: audited, and answered with what changed and its audit record.
 */
abstract class AuthChange extends AuditedCommand {
  private final String howToCheck;

  /**
   * @param howToCheck the list that shows whether the change applied ("aimctl role list")
   */
  AuthChange(String howToCheck) {
    this.howToCheck = howToCheck;
  }

  @Override
  public final String howToCheck() {
    return howToCheck;
  }

  /** Awaits the change and prints {@code what} changed and its audit record; exit code 0. */
  int changed(CompletableFuture<AuthChangeResponse> change, String what) {
    AuthChangeResponse r = await(change);
    return show(
        r,
        () -> {
          out().println(what);
          out().println(audited(r.getAudit()));
        });
  }
}
