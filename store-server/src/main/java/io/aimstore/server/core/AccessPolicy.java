package io.aimstore.server.core;

import io.aimstore.api.v1.Binding;
import io.aimstore.api.v1.Grant;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The roles and bindings in force: the built-in ones (the same on every cluster, fixed in code) and
 * those stored under {@code /_aimstore/auth/}. Immutable; the store builds a new one whenever an
 * applied entry changes a stored role or binding. Deterministic: every member resolves the same
 * {@link Access} for an identity at the same revision.
 *
 * <p>Built in:
 *
 * <ul>
 *   <li>role {@code admin}: ADMIN; bound to {@code spiffe://aimstore/operator/*} (the operator
 *       certificates the cluster CA issues — whoever holds the CA can always get in);
 *   <li>role {@code drone}: read and watch its fleet's configs, rollout and hold and its own drone
 *       keys, write its own presence and report, grant leases; bound to {@code
 *       spiffe://aimstore/fleet/{fleet}/drone/{drone}};
 *   <li>role {@code reader}: read and watch every key (bind it to monitoring identities).
 * </ul>
 */
public final class AccessPolicy {
  public static final String OPERATOR_PATTERN = "spiffe://aimstore/operator/*";
  public static final String DRONE_PATTERN = "spiffe://aimstore/fleet/{fleet}/drone/{drone}";
  private static final Pattern VARIABLE = Pattern.compile("\\{([a-z][a-z0-9_]*)\\}");

  static final List<Role> BUILTIN_ROLES =
      List.of(
          role("admin", grant("", Permission.ADMIN)),
          role(
              "drone",
              grant("/aim/{fleet}/configs/", Permission.READ, Permission.WATCH),
              grant("/aim/{fleet}/rollout", Permission.READ, Permission.WATCH),
              grant("/aim/{fleet}/hold", Permission.READ, Permission.WATCH),
              grant("/aim/{fleet}/drones/{drone}/", Permission.READ, Permission.WATCH),
              grant("/aim/{fleet}/drones/{drone}/presence", Permission.WRITE),
              grant("/aim/{fleet}/drones/{drone}/report", Permission.WRITE),
              grant("", Permission.LEASE)),
          role("reader", grant("", Permission.READ, Permission.WATCH)));

  static final List<Binding> BUILTIN_BINDINGS =
      List.of(
          Binding.newBuilder()
              .setName("operators")
              .setIdentityPattern(OPERATOR_PATTERN)
              .addRoles("admin")
              .setBuiltin(true)
              .build(),
          Binding.newBuilder()
              .setName("drones")
              .setIdentityPattern(DRONE_PATTERN)
              .addRoles("drone")
              .setBuiltin(true)
              .build());

  /** Only the built-in roles and bindings. */
  public static final AccessPolicy BUILTIN = new AccessPolicy(List.of(), List.of(), Set.of());

  private final Map<String, Role> roles = new LinkedHashMap<>();
  private final Map<String, Binding> bindings = new LinkedHashMap<>();
  private final Map<String, IdentityPattern> patterns = new LinkedHashMap<>();
  private final Set<String> blocked;

  /** The policy of the built-ins plus {@code storedRoles} and {@code storedBindings}. */
  AccessPolicy(Collection<Role> storedRoles, Collection<Binding> storedBindings) {
    this(storedRoles, storedBindings, Set.of());
  }

  /** ... and with the identities in {@code blocked} denied everything. */
  AccessPolicy(
      Collection<Role> storedRoles, Collection<Binding> storedBindings, Set<String> blocked) {
    this.blocked = Set.copyOf(blocked);
    BUILTIN_ROLES.forEach(r -> roles.put(r.getName(), r));
    storedRoles.forEach(r -> roles.putIfAbsent(r.getName(), r));
    BUILTIN_BINDINGS.forEach(b -> bindings.put(b.getName(), b));
    storedBindings.forEach(b -> bindings.putIfAbsent(b.getName(), b));
    for (Binding b : bindings.values()) {
      patterns.put(b.getName(), IdentityPattern.parse(b.getIdentityPattern()));
    }
  }

  public Collection<Role> roles() {
    return roles.values();
  }

  public Collection<Binding> bindings() {
    return bindings.values();
  }

  /** The blocked identities. */
  public Set<String> blocked() {
    return blocked;
  }

  Optional<Role> role(String name) {
    return Optional.ofNullable(roles.get(name));
  }

  Optional<Binding> binding(String name) {
    return Optional.ofNullable(bindings.get(name));
  }

  /** What {@code identity} may do. */
  public Access accessOf(String identity) {
    if (identity.equals(Access.SYSTEM_IDENTITY)) {
      return Access.SYSTEM;
    }
    if (identity.equals(Access.INSECURE_IDENTITY)) {
      return new Access(
          identity, List.of("admin"), List.of("insecure mode"), List.of(), true, false);
    }
    if (blocked.contains(identity)) {
      return new Access(identity, List.of(), List.of(), List.of(), false, true);
    }
    Set<String> heldRoles = new LinkedHashSet<>();
    List<String> via = new ArrayList<>();
    List<Grant> grants = new ArrayList<>();
    boolean admin = false;
    for (Binding b : bindings.values()) {
      Optional<Map<String, String>> captured = patterns.get(b.getName()).match(identity);
      if (captured.isEmpty()) {
        continue;
      }
      via.add(b.getName());
      for (String name : b.getRolesList()) {
        Role r = roles.get(name);
        if (r == null) {
          continue; // a binding may name a role deleted since: it grants nothing
        }
        heldRoles.add(name);
        for (Grant g : r.getGrantsList()) {
          String prefix = fill(g.getPrefix(), captured.get());
          if (prefix == null) {
            continue; // the pattern does not capture a variable the grant needs
          }
          admin |= g.getPermissionsList().contains(Permission.ADMIN);
          grants.add(g.toBuilder().setPrefix(prefix).build());
        }
      }
    }
    return new Access(
        identity, List.copyOf(heldRoles), List.copyOf(via), List.copyOf(grants), admin, false);
  }

  /** The prefix with its variables replaced, or null if one is not captured. */
  private static String fill(String prefix, Map<String, String> captured) {
    Matcher m = VARIABLE.matcher(prefix);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = captured.get(m.group(1));
      if (value == null) {
        return null;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The variables a grant prefix uses. */
  static Set<String> variables(String prefix) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = VARIABLE.matcher(prefix);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static Role role(String name, Grant... grants) {
    return Role.newBuilder().setName(name).addAllGrants(List.of(grants)).setBuiltin(true).build();
  }

  private static Grant grant(String prefix, Permission... permissions) {
    return Grant.newBuilder().setPrefix(prefix).addAllPermissions(List.of(permissions)).build();
  }
}
