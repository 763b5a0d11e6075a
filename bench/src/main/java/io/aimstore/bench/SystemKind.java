package io.aimstore.bench;

import java.util.Locale;

/**
 * The systems the bench compares. aimstore is always the numerator of a ratio. {@link
 * #AIMSTORE_ETCD} is aimstore's cluster driven by the etcd driver, unchanged, through aimstore's
 * etcd v3 API.
 */
public enum SystemKind {
  AIMSTORE("aimstore", "aimstore"),
  ETCD("etcd", "etcd"),
  ZOOKEEPER("zookeeper", "ZooKeeper"),
  AIMSTORE_ETCD("aimstore-etcd", "aimstore (etcd API)");

  private final String id;
  private final String displayName;

  SystemKind(String id, String displayName) {
    this.id = id;
    this.displayName = displayName;
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
