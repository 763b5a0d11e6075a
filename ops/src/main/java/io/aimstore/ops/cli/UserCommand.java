package io.aimstore.ops.cli;

import io.aimstore.api.v1.Binding;
import io.aimstore.api.v1.BindingListResponse;
import io.aimstore.ops.output.Table;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "user",
    description = {
      "Who gets which roles: bindings from certificate identities to roles, and blocked"
          + " identities.",
      "An identity is a client certificate's URI SAN, e.g."
          + " spiffe://aimstore/fleet/fleet-1/drone/drone-7 ('aimctl whoami' shows yours).",
      "Every change is an admin action, recorded in the audit log. See docs/security.md."
    },
    subcommands = {
      UserCommand.Bind.class,
      UserCommand.Unbind.class,
      UserCommand.ListBindings.class,
      UserCommand.Block.class,
      UserCommand.Unblock.class
    })
public final class UserCommand {

  /** A change 'aimctl user list' shows. */
  abstract static class Change extends AuthChange {
    Change() {
      super("aimctl user list");
    }
  }

  /** A change to binding NAME. */
  abstract static class BindingChange extends Change {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;
  }

  /** A change to IDENTITY's block. */
  abstract static class BlockChange extends Change {
    @Parameters(index = "0", paramLabel = "IDENTITY")
    String identity;
  }

  @Command(
      name = "bind",
      description = {
        "Create or replace binding NAME: identities matching PATTERN get ROLEs.",
        "PATTERN is an identity with segments written as {variable} (one segment, captured for"
            + " the roles' prefixes) and an optional trailing /* (any further segments), e.g."
            + " 'spiffe://aimstore/client/{name}'."
      })
  public static final class Bind extends BindingChange {
    @Parameters(index = "1", paramLabel = "PATTERN")
    String pattern;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "ROLE")
    List<String> roles;

    @Override
    public Integer call() {
      Binding b =
          Binding.newBuilder().setName(name).setIdentityPattern(pattern).addAllRoles(roles).build();
      return changed(
          client().auth().putBinding(b, reason),
          "binding " + name + ": " + pattern + " -> " + String.join(",", roles));
    }
  }

  @Command(name = "unbind", description = "Delete binding NAME.")
  public static final class Unbind extends BindingChange {
    @Override
    public Integer call() {
      return changed(client().auth().deleteBinding(name, reason), "deleted binding " + name);
    }
  }

  @Command(
      name = "list",
      description = "List bindings, built-in and stored, and blocked identities.")
  public static final class ListBindings extends CommandBase {
    @Override
    public Integer call() {
      BindingListResponse r = await(client().auth().bindings());
      return show(r, () -> print(r));
    }

    private void print(BindingListResponse r) {
      Table t = new Table("BINDING", "IDENTITY PATTERN", "ROLES", "BUILT-IN");
      for (Binding b : r.getBindingsList()) {
        t.row(
            b.getName(),
            b.getIdentityPattern(),
            String.join(",", b.getRolesList()),
            b.getBuiltin() ? "yes" : "");
      }
      print(t);
      out().println();
      out()
          .println(
              r.getBlockedList().isEmpty()
                  ? "blocked: none"
                  : "blocked: " + String.join(", ", r.getBlockedList()));
    }
  }

  @Command(
      name = "block",
      description = {
        "Deny IDENTITY everything, whatever its certificate and roles say, until unblocked.",
        "For a lost laptop or a compromised drone: its calls fail with PERMISSION_DENIED at once."
      })
  public static final class Block extends BlockChange {
    @Override
    public Integer call() {
      return changed(client().auth().block(identity, reason), "blocked " + identity);
    }
  }

  @Command(name = "unblock", description = "Lift the block on IDENTITY.")
  public static final class Unblock extends BlockChange {
    @Override
    public Integer call() {
      return changed(client().auth().unblock(identity, reason), "unblocked " + identity);
    }
  }
}
