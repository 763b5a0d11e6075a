package io.aimstore.server.core;

import static io.aimstore.server.core.ApplyContext.LATEST;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.Binding;
import io.aimstore.api.v1.Grant;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.Role;
import io.aimstore.internal.AuthChange;
import java.util.Set;

/**
 * Applies changes to the stored roles and bindings (admin only, each audited). Built-in roles and
 * bindings cannot be changed; a role still named by a binding cannot be deleted.
 */
final class AuthApplier {
  private static final int MAX_GRANTS = 64;

  private final ApplyContext ctx;
  private final AuditLog audit;

  AuthApplier(ApplyContext ctx, AuditLog audit) {
    this.ctx = ctx;
    this.audit = audit;
  }

  AuditRecord apply(AuthChange c) {
    if (c.getReason().isBlank()) {
      throw StoreException.invalid("a change to roles or bindings needs a reason (audit log)");
    }
    AccessPolicy policy = ctx.policy();
    AuditRecord.Builder a = AuditRecord.newBuilder().setReason(c.getReason());
    switch (c.getKindCase()) {
      case ROLE_PUT -> {
        Role r = c.getRolePut();
        checkName("role", r.getName());
        notBuiltin(
            "role", policy.role(r.getName()).map(Role::getBuiltin).orElse(false), r.getName());
        checkGrants(r);
        put(
            AuthTable.roleKey(r.getName()),
            AuthTable.json(r.toBuilder().setBuiltin(false).build()));
        a.setAction("role-put").setSubject("role " + r.getName());
      }
      case ROLE_DELETE -> {
        String name = c.getRoleDelete();
        notBuiltin("role", policy.role(name).map(Role::getBuiltin).orElse(false), name);
        for (Binding b : policy.bindings()) {
          if (b.getRolesList().contains(name)) {
            throw StoreException.failedPrecondition(
                "role " + name + " is still given by binding " + b.getName() + "; change it first");
          }
        }
        delete(AuthTable.roleKey(name), "role " + name);
        a.setAction("role-delete").setSubject("role " + name);
      }
      case BINDING_PUT -> {
        Binding b = c.getBindingPut();
        checkName("binding", b.getName());
        notBuiltin(
            "binding",
            policy.binding(b.getName()).map(Binding::getBuiltin).orElse(false),
            b.getName());
        IdentityPattern.parse(b.getIdentityPattern());
        if (b.getRolesCount() == 0) {
          throw StoreException.invalid("binding " + b.getName() + " gives no role");
        }
        for (String role : b.getRolesList()) {
          if (policy.role(role).isEmpty()) {
            throw StoreException.notFound("role " + role + " does not exist; create it first");
          }
        }
        put(
            AuthTable.bindingKey(b.getName()),
            AuthTable.json(b.toBuilder().setBuiltin(false).build()));
        a.setAction("binding-put").setSubject("binding " + b.getName());
      }
      case BINDING_DELETE -> {
        String name = c.getBindingDelete();
        notBuiltin("binding", policy.binding(name).map(Binding::getBuiltin).orElse(false), name);
        delete(AuthTable.bindingKey(name), "binding " + name);
        a.setAction("binding-delete").setSubject("binding " + name);
      }
      case IDENTITY_BLOCK -> {
        String id = c.getIdentityBlock();
        if (id.isBlank() || id.length() > 512 || id.equals(Access.INSECURE_IDENTITY)) {
          throw StoreException.invalid(
              "identity to block must be 1-512 characters, got '" + id + "'");
        }
        if (id.equals(ctx.access().identity())) {
          throw StoreException.failedPrecondition("an admin may not block itself: " + id);
        }
        put(AuthTable.blockedKey(id), ByteString.copyFromUtf8(c.getReason()));
        a.setAction("identity-block").setSubject(id);
      }
      case IDENTITY_UNBLOCK -> {
        String id = c.getIdentityUnblock();
        delete(AuthTable.blockedKey(id), "a block of " + id);
        a.setAction("identity-unblock").setSubject(id);
      }
      default -> throw StoreException.invalid("empty auth change");
    }
    ctx.policyChanged();
    return audit.write(a);
  }

  private void put(ByteString key, ByteString value) {
    ctx.writer.put(key, value, 0, 0, ctx.reader.get(key, LATEST));
  }

  private void delete(ByteString key, String what) {
    KeyValue kv = ctx.reader.get(key, LATEST);
    if (kv == null) {
      throw StoreException.notFound(what + " does not exist");
    }
    ctx.writer.delete(kv);
  }

  private static void checkGrants(Role r) {
    if (r.getGrantsCount() == 0 || r.getGrantsCount() > MAX_GRANTS) {
      throw StoreException.invalid(
          "role "
              + r.getName()
              + " must have 1 to "
              + MAX_GRANTS
              + " grants, got "
              + r.getGrantsCount());
    }
    for (Grant g : r.getGrantsList()) {
      if (g.getPermissionsCount() == 0
          || g.getPermissionsList().contains(Permission.PERMISSION_UNSPECIFIED)
          || g.getPermissionsValueList().stream().anyMatch(v -> Permission.forNumber(v) == null)) {
        throw StoreException.invalid(
            "role "
                + r.getName()
                + ": every grant needs one or more of read, write, lease, lock, watch, admin");
      }
      if (g.getPrefix().length() > 4096 || g.getPrefix().indexOf('\0') >= 0) {
        throw StoreException.invalid(
            "role " + r.getName() + ": a grant prefix is at most 4 KiB, no NUL");
      }
      Set<String> vars = AccessPolicy.variables(g.getPrefix());
      if (g.getPrefix().replaceAll("\\{[a-z][a-z0-9_]*\\}", "").matches(".*[{}].*")) {
        throw StoreException.invalid(
            "role " + r.getName() + ": prefix " + g.getPrefix() + " has a malformed {variable}");
      }
      if (vars.size() > 8) {
        throw StoreException.invalid("role " + r.getName() + ": too many variables in a prefix");
      }
    }
  }

  private static void checkName(String what, String name) {
    if (!name.matches("[A-Za-z0-9_.-]{1,128}")) {
      throw StoreException.invalid(
          what + " name '" + name + "' must be 1-128 characters of [A-Za-z0-9_.-]");
    }
  }

  private static void notBuiltin(String what, boolean builtin, String name) {
    if (builtin) {
      throw StoreException.failedPrecondition(
          what + " " + name + " is built in and cannot be changed; make a new one");
    }
  }
}
