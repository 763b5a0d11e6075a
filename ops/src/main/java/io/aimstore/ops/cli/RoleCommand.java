package io.aimstore.ops.cli;

import io.aimstore.api.v1.Grant;
import io.aimstore.api.v1.Role;
import io.aimstore.api.v1.RoleListResponse;
import io.aimstore.ops.output.Table;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "role",
    description = {
      "Roles: permissions on key prefixes, given to identities by 'aimctl user bind'.",
      "Every change is an admin action, recorded in the audit log. See docs/security.md."
    },
    subcommands = {RoleCommand.Put.class, RoleCommand.Delete.class, RoleCommand.ListRoles.class})
public final class RoleCommand {

  /** A change to role NAME, which 'aimctl role list' shows. */
  abstract static class Change extends AuthChange {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    Change() {
      super("aimctl role list");
    }
  }

  @Command(
      name = "put",
      description = {
        "Create or replace role NAME with the given grants.",
        "A grant is PERMISSIONS[:PREFIX]: permissions read, write, watch, lock on keys (or lock"
            + " names) under PREFIX, lease and admin without one. The prefix may use {variables}"
            + " the binding's identity pattern captures, e.g. 'read,write:/scratch/{name}/'."
      })
  public static final class Put extends Change {
    @Option(
        names = "--grant",
        required = true,
        paramLabel = "PERMS[:PREFIX]",
        description = "A grant (repeat for several), e.g. 'read,watch:/aim/' or 'lease'.")
    List<Grant> grants;

    @Override
    public Integer call() {
      Role role = Role.newBuilder().setName(name).addAllGrants(grants).build();
      return changed(
          client().auth().putRole(role, reason), "role " + name + ": " + Grants.format(grants));
    }
  }

  @Command(name = "delete", description = "Delete role NAME; no binding may still name it.")
  public static final class Delete extends Change {
    @Override
    public Integer call() {
      return changed(client().auth().deleteRole(name, reason), "deleted role " + name);
    }
  }

  @Command(name = "list", description = "List roles, built-in and stored, with their grants.")
  public static final class ListRoles extends CommandBase {
    @Override
    public Integer call() {
      RoleListResponse resp = await(client().auth().roles());
      Table t = new Table("ROLE", "GRANTS", "BUILT-IN");
      for (Role r : resp.getRolesList()) {
        t.row(r.getName(), Grants.format(r.getGrantsList()), r.getBuiltin() ? "yes" : "");
      }
      return show(resp, () -> print(t));
    }
  }
}
