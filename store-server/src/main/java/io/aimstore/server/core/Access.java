package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Grant;
import io.aimstore.api.v1.Permission;
import io.aimstore.internal.ErrorCode;
import java.util.List;
import java.util.Locale;

/**
 * What one identity may do: its grants with every variable filled in, resolved by the {@link
 * AccessPolicy}. Default deny: a permission holds on a key range only if one grant gives it on a
 * prefix that contains the whole range.
 *
 * @param identity the verified identity ({@link #SYSTEM_IDENTITY} for the store's own commands)
 * @param roles the roles it holds
 * @param bindings the bindings that gave them
 * @param grants its grants, variables filled in
 * @param admin whether it holds ADMIN (which implies every permission)
 * @param blocked the identity is blocked: denied everything whatever its roles
 */
public record Access(
    String identity,
    List<String> roles,
    List<String> bindings,
    List<Grant> grants,
    boolean admin,
    boolean blocked) {

  /** The identity of commands the store proposes itself (expiry, checkpoints, ticks). */
  public static final String SYSTEM_IDENTITY = "";

  /**
   * The identity every request has on a cluster run without TLS (development only): it may do
   * everything.
   */
  public static final String INSECURE_IDENTITY = "insecure";

  /** Owner identities of quarantine leases start with this (no certificate has one). */
  public static final String QUARANTINE_IDENTITY_PREFIX = "quarantine:";

  /** The store itself: proposes expiries, checkpoints and ticks; may do everything. */
  public static final Access SYSTEM =
      new Access(SYSTEM_IDENTITY, List.of(), List.of(), List.of(), true, false);

  /** Whether {@code p} holds on every key of {@code [key, rangeEnd)} (etcd's range convention). */
  public boolean allows(Permission p, ByteString key, ByteString rangeEnd) {
    if (admin) {
      return true;
    }
    for (Grant g : grants) {
      if (g.getPermissionsList().contains(p) && covers(g.getPrefix(), key, rangeEnd)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code p} holds on the lock or name {@code name} (LOCK grants are name prefixes). */
  public boolean allowsName(Permission p, String name) {
    return allows(p, ByteString.copyFromUtf8(name), ByteString.EMPTY);
  }

  /** Whether the identity holds {@code p} at all (LEASE is not about keys). */
  public boolean holds(Permission p) {
    return admin || grants.stream().anyMatch(g -> g.getPermissionsList().contains(p));
  }

  /**
   * PERMISSION_DENIED unless {@link #allows}: "… may not write "/k": no role grants write on it".
   */
  public void require(Permission p, ByteString key, ByteString rangeEnd) {
    if (!allows(p, key, rangeEnd)) {
      throw denied(p, p.name().toLowerCase(Locale.ROOT) + " " + describe(key, rangeEnd));
    }
  }

  /** PERMISSION_DENIED unless {@link #allowsName}; {@code action} is a verb ("take lock"). */
  public void requireName(Permission p, String action, String name) {
    if (!allowsName(p, name)) {
      throw denied(p, action + " " + name);
    }
  }

  /** PERMISSION_DENIED unless {@link #holds}; {@code action} says what ("grant leases"). */
  public void require(Permission p, String action) {
    if (!holds(p)) {
      throw denied(p, action);
    }
  }

  /** PERMISSION_DENIED unless admin; {@code action} says what ("compact the history"). */
  public void requireAdmin(String action) {
    if (!admin) {
      throw denied(Permission.ADMIN, action);
    }
  }

  /**
   * The PERMISSION_DENIED a request gets, naming who, what they tried ({@code action}, a verb
   * phrase: "write "/k"", "force-release lock L") and which permission is missing.
   */
  public StoreException denied(Permission p, String action) {
    if (blocked) {
      return new StoreException(
          ErrorCode.PERMISSION_DENIED,
          identity
              + " is blocked: it may do nothing (an admin lifts it with 'aimctl user unblock')");
    }
    return new StoreException(
        ErrorCode.PERMISSION_DENIED,
        identity
            + " may not "
            + action
            + ": no role grants "
            + p.name().toLowerCase(Locale.ROOT)
            + (p == Permission.ADMIN ? "" : " on it")
            + " (roles: "
            + (roles.isEmpty() ? "none" : String.join(", ", roles))
            + "; see 'aimctl whoami')");
  }

  private static boolean covers(String prefix, ByteString key, ByteString rangeEnd) {
    ByteString p = ByteString.copyFromUtf8(prefix);
    if (!key.startsWith(p)) {
      return false;
    }
    if (rangeEnd.isEmpty()) {
      return true;
    }
    if (prefix.isEmpty()) {
      return true;
    }
    if (rangeEnd.equals(KeyRanges.ALL_FROM_KEY)) {
      return false;
    }
    return ByteString.unsignedLexicographicalComparator().compare(rangeEnd, KeyRanges.prefixEnd(p))
        <= 0;
  }

  private static String describe(ByteString key, ByteString rangeEnd) {
    String k = RequestValidator.printable(key);
    if (rangeEnd.isEmpty()) {
      return k;
    }
    if (rangeEnd.equals(KeyRanges.ALL_FROM_KEY)) {
      return key.isEmpty() ? "every key" : "every key from " + k;
    }
    if (rangeEnd.equals(KeyRanges.prefixEnd(key))) {
      return "every key under " + (k.isEmpty() ? "\"\"" : k);
    }
    return "the keys from " + k + " to " + RequestValidator.printable(rangeEnd);
  }
}
