package io.aimstore.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LayoutTest {

  @Test
  void loadWindowsShowTheStandardMetrics() {
    Layout.View put = Layout.of("put-throughput-64", 64);
    assertThat(put.rows()).isEqualTo(Metric.values());
    assertThat(put.summary()).containsExactly(Metric.THROUGHPUT, Metric.P99, Metric.SERVER_CPU);
    assertThat(Layout.of("put-latency", 1).headline()).isEqualTo(Metric.P50);
    assertThat(Layout.of("lease-grant-put-64", 64).headline()).isEqualTo(Metric.THROUGHPUT);
    assertThat(put.throughputChart()).isTrue();
  }

  @Test
  void otherWorkloadsShowWhatTheyMeasureUnderTheirOwnLabels() {
    Layout.View ghost = Layout.of("ghost-lock", 1);
    assertThat(ghost.headline()).isEqualTo(Metric.P50);
    assertThat(ghost.headline().label()).isEqualTo("reclaim time p50");
    assertThat(ghost.rows()).doesNotContain(Metric.THROUGHPUT, Metric.SERVER_CPU);
    assertThat(ghost.trialsChart()).isTrue();
    assertThat(Layout.of("failover", 1).headline().label()).isEqualTo("time to first write p50");

    assertThat(Layout.of("watch-10000", 10_000).headline().label())
        .startsWith("delivery latency p50");
    assertThat(Layout.of("watch-10000", 10_000).latencyChart()).isTrue();
    assertThat(Layout.of("watch-idle-memory-10k", 10_000).headline())
        .isEqualTo(Metric.IDLE_WATCHER_BYTES);
    assertThat(Layout.of("watch-catchup", 1).headline()).isEqualTo(Metric.CATCH_UP);
    assertThat(Layout.of("lease-keepalive-10k", 256).summary())
        .containsExactly(Metric.THROUGHPUT, Metric.PUT_BESIDE_P50, Metric.PUT_BESIDE_P99);
    assertThat(Layout.of("footprint", 256).summary())
        .containsExactly(Metric.RSS_RESTARTED, Metric.DATA, Metric.RESTART);
    assertThat(Layout.of("session-expiry-10s", 1).headline().label())
        .isEqualTo("time to deletion p50");
    assertThat(Layout.of("session-expiry-3s", 1).trialsChart()).isTrue();
    assertThat(Layout.of("lock-16", 16).headline().label())
        .isEqualTo("acquire + release cycles per second");
  }

  @Test
  void everyWorkloadOfTheFullRunIsListed() {
    assertThat(Layout.WORKLOADS)
        .containsExactlyElementsOf(
            io.aimstore.bench.workload.Workloads.all().stream()
                .map(io.aimstore.bench.workload.Workload::id)
                .toList());
  }
}
