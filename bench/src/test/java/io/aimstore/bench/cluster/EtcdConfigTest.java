package io.aimstore.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdConfigTest {
  private final EtcdConfig config = new EtcdConfig(Path.of("/runs/x/etcd-set1"), 17500, 3, "tok");

  @Test
  void memberTwoListensOnItsOwnLoopbackPorts() {
    List<String> args = config.args(2);

    assertThat(args)
        .contains(
            "--name=n2",
            "--data-dir=/runs/x/etcd-set1/n2/data",
            "--listen-client-urls=http://127.0.0.1:17502",
            "--advertise-client-urls=http://127.0.0.1:17502",
            "--listen-peer-urls=http://127.0.0.1:17512",
            "--initial-advertise-peer-urls=http://127.0.0.1:17512",
            "--initial-cluster-token=tok",
            "--initial-cluster-state=new");
  }

  @Test
  void everyMemberKnowsTheWholeInitialCluster() {
    String expected =
        "--initial-cluster=n1=http://127.0.0.1:17511,n2=http://127.0.0.1:17512,"
            + "n3=http://127.0.0.1:17513";
    for (int i = 1; i <= 3; i++) {
      assertThat(config.args(i)).contains(expected);
    }
  }

  @Test
  void clientUrlsAndPorts() {
    assertThat(config.clientUrls())
        .containsExactly(
            "http://127.0.0.1:17501", "http://127.0.0.1:17502", "http://127.0.0.1:17503");
    assertThat(config.ports()).containsExactly(17501, 17511, 17502, 17512, 17503, 17513);
  }

  @Test
  void pprofIsOnForTheForcedCollectionAndMetricsParse() {
    assertThat(new EtcdConfig(Path.of("/r"), 17500, 3, "t").args(1)).contains("--enable-pprof");
    String metrics =
        "# HELP go_memstats_heap_alloc_bytes Number of heap bytes allocated and still in use.\n"
            + "# TYPE go_memstats_heap_alloc_bytes gauge\n"
            + "go_memstats_heap_alloc_bytes 1.2345678e+07\n"
            + "go_memstats_heap_alloc_bytes_total 9\n";
    assertThat(EtcdCluster.prometheusValue(metrics, "go_memstats_heap_alloc_bytes"))
        .isEqualTo(12_345_678.0);
    assertThat(EtcdCluster.prometheusValue(metrics, "go_gc_duration_seconds")).isEqualTo(-1);
  }
}
