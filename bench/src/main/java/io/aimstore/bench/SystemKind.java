package io.aimstore.bench;

import java.util.Locale;

/** The systems the bench compares. aimstore is always the numerator of a ratio. */
public enum SystemKind {
  AIMSTORE("aimstore", "aimstore", true),
  ETCD("etcd", "etcd", false),
  ZOOKEEPER("zookeeper", "ZooKeeper", true);

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
    throw new IllegalArgumentException("unknown system '" + s + "' (aimstore, etcd, zk)");
  }
}
