package io.aimstore.bench.driver;

/**
 * A value and its compare-and-set token.
 *
 * @param value the bytes, or null if the key does not exist
 * @param version the token {@link Driver#cas} compares against: aimstore and etcd use the key's mod
 *     revision, ZooKeeper the znode's data version
 */
public record Versioned(byte[] value, long version) {
  public boolean exists() {
    return value != null;
  }
}
