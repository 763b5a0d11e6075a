package io.aimstore.certs;

/**
 * The identities aimstore's certificates prove (URI subject alternative names). The server's
 * built-in bindings give them their roles: operators are admins, drones get the drone role, members
 * relay calls for clients; anything else starts with no role.
 */
public final class Identities {
  public static final String ROOT = "spiffe://aimstore/";

  private Identities() {}

  public static String member(String name) {
    return ROOT + "member/" + check(name);
  }

  public static String operator(String name) {
    return ROOT + "operator/" + check(name);
  }

  public static String drone(String fleet, String drone) {
    return ROOT + "fleet/" + check(fleet) + "/drone/" + check(drone);
  }

  public static String client(String name) {
    return ROOT + "client/" + check(name);
  }

  /** A path segment of an identity: letters, digits, '.', '_' and '-'. */
  static String check(String segment) {
    if (!segment.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException(
          "'" + segment + "' must be 1-64 characters of letters, digits, '.', '_' and '-'");
    }
    return segment;
  }
}
