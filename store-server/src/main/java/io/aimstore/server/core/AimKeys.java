package io.aimstore.server.core;

import com.google.protobuf.ByteString;

/**
 * Where aim configs, rollouts and drone state live in the keyspace (see aim.proto). The service
 * writes these; plain KV writes to them are refused, except a drone's presence key.
 */
public final class AimKeys {
  public static final String ROOT = "/aim/";
  static final String ROLLOUT_INDEX = Limits.RESERVED_PREFIX + "rollouts/";

  private AimKeys() {}

  public static ByteString config(String fleet, String name) {
    return utf8(ROOT + fleet + "/configs/" + name);
  }

  public static ByteString rollout(String fleet) {
    return utf8(ROOT + fleet + "/rollout");
  }

  public static ByteString hold(String fleet) {
    return utf8(ROOT + fleet + "/hold");
  }

  public static ByteString dronesPrefix(String fleet) {
    return utf8(ROOT + fleet + "/drones/");
  }

  public static ByteString target(String fleet, String drone) {
    return utf8(ROOT + fleet + "/drones/" + drone + "/target");
  }

  public static ByteString report(String fleet, String drone) {
    return utf8(ROOT + fleet + "/drones/" + drone + "/report");
  }

  public static ByteString presence(String fleet, String drone) {
    return utf8(ROOT + fleet + "/drones/" + drone + "/presence");
  }

  /** The fleet's config lock: rollouts are fenced by it. */
  public static String configLock(String fleet) {
    return "aim/" + fleet + "/config";
  }

  /** Index entry of a fleet with a rollout, so the leader's timer finds rollouts cheaply. */
  static ByteString rolloutIndex(String fleet) {
    return utf8(ROLLOUT_INDEX + fleet);
  }

  /** Whether plain KV writes to {@code key} are refused: it is managed by the aim services. */
  static boolean isManaged(ByteString key) {
    String k = key.toStringUtf8();
    if (!k.startsWith(ROOT)) {
      return false;
    }
    String rest = k.substring(ROOT.length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return false;
    }
    String tail = rest.substring(slash + 1);
    if (tail.startsWith("configs/") || tail.equals("rollout") || tail.equals("hold")) {
      return true;
    }
    return tail.startsWith("drones/") && (tail.endsWith("/target") || tail.endsWith("/report"));
  }

  /** The drone name of a key under {@code dronesPrefix(fleet)}, or null. */
  static String droneOf(String fleet, ByteString key) {
    String prefix = ROOT + fleet + "/drones/";
    String k = key.toStringUtf8();
    if (!k.startsWith(prefix)) {
      return null;
    }
    int slash = k.indexOf('/', prefix.length());
    return slash < 0 ? null : k.substring(prefix.length(), slash);
  }

  static void checkName(String what, String name) {
    if (name.isEmpty() || name.length() > 128 || !name.matches("[A-Za-z0-9_.-]+")) {
      throw StoreException.invalid(
          what + " '" + name + "' must be 1-128 characters of [A-Za-z0-9_.-]");
    }
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
