package io.aimstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.bench.workload.Workload;
import io.aimstore.bench.workload.Workloads;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchRunTest {
  private static Workload byId(String id) {
    return Workloads.all().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void schedulesDecideTheRepetitionsOnEachSet() {
    BenchConfig quick = BenchConfig.quickRun(); // 3 repetitions on 1 set
    BenchConfig full = BenchConfig.full(); // 3 sets, 1 repetition each

    assertThat(BenchRun.repsOnSet(byId("put-throughput-64"), quick, 1)).isEqualTo(3);
    assertThat(BenchRun.repsOnSet(byId("lock-16"), quick, 1)).isEqualTo(1);
    assertThat(BenchRun.repsOnSet(byId("failover"), quick, 1)).isEqualTo(1);

    assertThat(BenchRun.repsOnSet(byId("put-throughput-64"), full, 2)).isEqualTo(1);
    assertThat(BenchRun.repsOnSet(byId("lock-16"), full, 2)).isEqualTo(1);
    assertThat(BenchRun.repsOnSet(byId("failover"), full, 1)).isZero();
    assertThat(BenchRun.repsOnSet(byId("failover"), full, 2)).isZero();
    assertThat(BenchRun.repsOnSet(byId("failover"), full, 3)).isEqualTo(1);
  }

  @Test
  void onlyTheLoadWindowsWarmUpAndTheFootprintSkipsTheQuickRun() {
    assertThat(Workloads.all().stream().filter(Workload::warmsUp).map(Workload::id))
        .containsExactly(
            "put-latency",
            "put-throughput-64",
            "put-throughput-256",
            "get-linearizable-64",
            "get-serializable-64",
            "cas-64");
    assertThat(byId("footprint").enabled(BenchConfig.quickRun().scale())).isFalse();
    assertThat(byId("footprint").enabled(BenchConfig.full().scale())).isTrue();
  }

  @Test
  void estimatesGrowWithTheRun() {
    List<Workload> all = Workloads.all();
    Duration quick = BenchMain.estimate(BenchConfig.quickRun(), all);
    Duration full = BenchMain.estimate(BenchConfig.full(), all);
    // four systems: aimstore, etcd, ZooKeeper and aimstore through its etcd API
    assertThat(quick).isBetween(Duration.ofMinutes(3), Duration.ofMinutes(12));
    assertThat(full).isGreaterThan(Duration.ofMinutes(40));
  }
}
