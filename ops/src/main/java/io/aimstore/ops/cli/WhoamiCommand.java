package io.aimstore.ops.cli;

import io.aimstore.api.v1.Grant;
import io.aimstore.api.v1.WhoAmIResponse;
import picocli.CommandLine.Command;

@Command(
    name = "whoami",
    description = {
      "Show the identity the cluster verified for you (your certificate), your roles and grants.",
      "Start here when a call fails with PERMISSION_DENIED."
    })
public final class WhoamiCommand extends CommandBase {
  @Override
  public Integer call() {
    WhoAmIResponse r = await(client().auth().whoAmI());
    return show(r, () -> print(r));
  }

  private void print(WhoAmIResponse r) {
    out().println("identity: " + r.getIdentity());
    out().println("admin:    " + (r.getAdmin() ? "yes" : "no"));
    out()
        .println(
            "roles:    "
                + (r.getRolesList().isEmpty() ? "none" : String.join(", ", r.getRolesList()))
                + (r.getBindingsList().isEmpty()
                    ? ""
                    : " (bindings: " + String.join(", ", r.getBindingsList()) + ")"));
    if (r.getGrantsList().isEmpty()) {
      out().println("grants:   none");
    }
    for (int i = 0; i < r.getGrantsCount(); i++) {
      Grant g = r.getGrants(i);
      out().println((i == 0 ? "grants:   " : "          ") + Grants.format(g));
    }
  }
}
