package io.aimstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SystemKindTest {

  @Test
  void plaintextAimstoreIsAimstoreButNotInTheDefaultRun() {
    assertThat(SystemKind.defaults())
        .containsExactly(
            SystemKind.AIMSTORE, SystemKind.ETCD, SystemKind.ZOOKEEPER, SystemKind.AIMSTORE_ETCD);
    assertThat(BenchConfig.full().systems()).isEqualTo(SystemKind.defaults());
    assertThat(SystemKind.AIMSTORE_PLAINTEXT.server()).isEqualTo(SystemKind.AIMSTORE);
    assertThat(SystemKind.AIMSTORE_PLAINTEXT.plaintext()).isTrue();
    assertThat(SystemKind.AIMSTORE_PLAINTEXT.etcdApi()).isFalse();
    assertThat(SystemKind.AIMSTORE.plaintext()).isFalse();
  }

  @Test
  void parsesIdsAndDisplayNames() {
    assertThat(SystemKind.parse("aimstore-plaintext")).isEqualTo(SystemKind.AIMSTORE_PLAINTEXT);
    assertThat(SystemKind.parse("aimstore (plaintext)")).isEqualTo(SystemKind.AIMSTORE_PLAINTEXT);
    assertThat(SystemKind.parse("zk")).isEqualTo(SystemKind.ZOOKEEPER);
    assertThatThrownBy(() -> SystemKind.parse("consul")).hasMessageContaining("aimstore-plaintext");
  }

  @Test
  void everySystemHasItsOwnPortsWithinTheRunsSpan() {
    BenchConfig c = BenchConfig.full().only(SystemKind.defaults(), java.util.Set.of());
    java.util.Set<Integer> bases = new java.util.HashSet<>();
    for (SystemKind k : SystemKind.values()) {
      int offset = c.portBase(k) - c.basePort();
      assertThat(bases.add(offset)).as(k.id()).isTrue();
      // a cluster uses BASE+1 .. BASE+23 of its own base
      assertThat(offset + 23).as(k.id()).isLessThan(BenchConfig.PORT_SPAN);
    }
  }
}
