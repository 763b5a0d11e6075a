package io.aimstore.bench;

import java.util.Locale;

/**
 * The systems the bench compares. aimstore is always the numerator of a ratio. {@link
 * #AIMSTORE_ETCD} is aimstore's cluster driven by the etcd driver, unchanged, through aimstore's
 * etcd v3 API.
 */
public enum SystemKind {
  AIMSTORE("aimstore", "aimstore", true),
  ETCD("etcd", "etcd", false),
  ZOOKEEPER("zookeeper", "ZooKeeper", true),
  AIMSTORE_ETCD("aimstore-etcd", "aimstore (etcd API)", true);

  private final String id;
  private final String displayName;
  private final boolean jvm;

  SystemKind(String id, String displayName, boolean jvm) {
    this.id = id;
    this.displayName = displayName;
    this.jvm = jvm;
  }

  /** Whether its members are JVMs. */
  public boolean jvm() {
    return jvm;
  }

  /** Lower-case id used in file names and JSON ("aimstore", "etcd", "zookeeper"). */
  public String id() {
    return id;
  }

  public String displayName() {
    return displayName;
  }

  /** The server that runs: aimstore for both ways of reaching it. */
  public SystemKind server() {
    return this == AIMSTORE_ETCD ? AIMSTORE : this;
  }

  /** Accepts the id, the display name or "zk". */
  public static SystemKind parse(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    if (v.equals("zk")) {
      return ZOOKEEPER;
    }
    for (SystemKind k : values()) {
      if (k.id.equals(v)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown system '" + s + "' (aimstore, etcd, zk, aimstore-etcd)");
  }
}
