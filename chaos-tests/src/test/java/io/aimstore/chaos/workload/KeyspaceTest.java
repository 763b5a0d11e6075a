package io.aimstore.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyspaceTest {
  @Test
  void aKeyGetsItsShareOfOperationsThenItsSlotMovesToAFreshKey() {
    Keyspace keys = new Keyspace("/p/", 2, 10, 20, 1);
    Map<String, Integer> ops = new HashMap<>();
    Random random = new Random(7);
    for (int i = 0; i < 1_000; i++) {
      ops.merge(keys.next(random), 1, Integer::sum);
    }
    assertThat(ops.values()).allMatch(n -> n <= 20);
    assertThat(ops.keySet()).allMatch(k -> k.startsWith("/p/k"));
    assertThat(ops.size()).isBetween(1_000 / 20, 1_000 / 10 + 2);
  }
}
