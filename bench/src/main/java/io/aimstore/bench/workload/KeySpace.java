package io.aimstore.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The keys and the value every system gets: {@code count} keys {@code /bench/k000000...} for puts
 * and gets, separate keys for compare-and-set chains ({@code /bench/c0000...}) and for the
 * background writes under reads ({@code /bench/b0000...}), and one value of {@code valueSize}
 * random (incompressible) bytes.
 */
public final class KeySpace {
  public static final String NAMESPACE = "/bench";

  private final int count;
  private final byte[] value;

  public KeySpace(int count, int valueSize) {
    this.count = count;
    this.value = new byte[valueSize];
    new Random(42).nextBytes(value);
  }

  public int count() {
    return count;
  }

  public String key(long i) {
    return String.format("%s/k%06d", NAMESPACE, Math.floorMod(i, count));
  }

  public String casKey(int slot) {
    return String.format("%s/c%04d", NAMESPACE, slot);
  }

  public List<String> backgroundKeys(int n) {
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(String.format("%s/b%04d", NAMESPACE, i));
    }
    return keys;
  }

  /** The value to write (shared, never modified). */
  public byte[] value() {
    return value;
  }
}
