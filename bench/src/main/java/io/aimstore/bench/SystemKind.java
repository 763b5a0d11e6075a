package io.aimstore.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The systems the bench compares. aimstore is always the numerator of a ratio. {@link
 * #AIMSTORE_ETCD} is aimstore's cluster driven by the etcd driver, unchanged, through aimstore's
 * etcd v3 API. {@link #AIMSTORE_PLAINTEXT} is aimstore's cluster started {@code --insecure} and
 * driven by aimstore's own client in plaintext: it exists to price TLS against {@link #AIMSTORE}
 * (mutual TLS, the default), so it is not in the default run.
 */
public enum SystemKind {
  AIMSTORE("aimstore", "aimstore", true, true),
  ETCD("etcd", "etcd", false, true),
  ZOOKEEPER("zookeeper", "ZooKeeper", true, true),
  AIMSTORE_ETCD("aimstore-etcd", "aimstore (etcd API)", true, true),
  AIMSTORE_PLAINTEXT("aimstore-plaintext", "aimstore (plaintext)", true, false);

  private final String id;
  private final String displayName;
  private final boolean jvm;
  private final boolean inDefaultRun;

  SystemKind(String id, String displayName, boolean jvm, boolean inDefaultRun) {
    this.id = id;
    this.displayName = displayName;
    this.jvm = jvm;
    this.inDefaultRun = inDefaultRun;
  }

  /** The systems a run measures when {@code --systems} does not say, in interleaving order. */
  public static List<SystemKind> defaults() {
    return Arrays.stream(values()).filter(k -> k.inDefaultRun).toList();
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

  /** The server that runs: aimstore for every way of reaching it. */
  public SystemKind server() {
    return this == AIMSTORE_ETCD || this == AIMSTORE_PLAINTEXT ? AIMSTORE : this;
  }

  /** aimstore reached through its etcd v3 API by the etcd driver. */
  public boolean etcdApi() {
    return this == AIMSTORE_ETCD;
  }

  /** aimstore run {@code --insecure}: no TLS on any port, every caller trusted. */
  public boolean plaintext() {
    return this == AIMSTORE_PLAINTEXT;
  }

  /** Accepts the id, the display name or "zk". */
  public static SystemKind parse(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    if (v.equals("zk")) {
      return ZOOKEEPER;
    }
    for (SystemKind k : values()) {
      if (k.id.equals(v) || k.displayName.toLowerCase(Locale.ROOT).equals(v)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown system '" + s + "' (aimstore, etcd, zk, aimstore-etcd, aimstore-plaintext)");
  }
}
