package io.aimstore.ops.cli;

import io.aimstore.api.v1.Grant;
import io.aimstore.api.v1.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Grants as people type them: {@code PERMISSIONS[:PREFIX]}, e.g. {@code
 * read,write:/scratch/{name}/} or {@code lease}. Permissions are read, write, watch, lease, lock
 * and admin; lease and admin take no prefix.
 */
public final class Grants {
  private static final String EXAMPLE = "e.g. 'read,watch:/aim/' or 'lease'";

  private Grants() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the unknown permission or the missing prefix
   */
  public static Grant parse(String text) {
    int colon = text.indexOf(':');
    String perms = colon < 0 ? text : text.substring(0, colon);
    String prefix = colon < 0 ? "" : text.substring(colon + 1);
    Grant.Builder g = Grant.newBuilder().setPrefix(prefix);
    boolean needsPrefix = false;
    for (String p : perms.split(",")) {
      Permission permission = permission(p.strip(), text);
      needsPrefix |= permission != Permission.LEASE && permission != Permission.ADMIN;
      g.addPermissions(permission);
    }
    if (needsPrefix && prefix.isEmpty()) {
      throw new IllegalArgumentException(
          "grant '" + text + "' needs a key prefix after ':' (" + EXAMPLE + ")");
    }
    return g.build();
  }

  private static Permission permission(String name, String text) {
    try {
      Permission p = Permission.valueOf(name.toUpperCase(Locale.ROOT));
      if (p != Permission.PERMISSION_UNSPECIFIED && p != Permission.UNRECOGNIZED) {
        return p;
      }
    } catch (IllegalArgumentException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "'"
            + name
            + "' in grant '"
            + text
            + "' is not a permission (read, write, watch, lease, lock, admin; "
            + EXAMPLE
            + ")");
  }

  /** {@code read,write:/scratch/ci/}: the form {@link #parse} reads. */
  public static String format(Grant g) {
    String perms =
        g.getPermissionsList().stream()
            .map(p -> p.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(","));
    return g.getPrefix().isEmpty() ? perms : perms + ":" + g.getPrefix();
  }

  /** Several grants, space-separated. */
  public static String format(List<Grant> grants) {
    List<String> parts = new ArrayList<>();
    for (Grant g : grants) {
      parts.add(format(g));
    }
    return String.join(" ", parts);
  }
}
