package io.aimstore.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatioTableTest {

  @Test
  void oneBlockPerWorkloadLabelledQuick() {
    String table = RatioTable.render(Aggregator.summarize(Fixtures.threeReps()), true, 3);

    assertThat(table).startsWith("QUICK RUN");
    assertThat(table).contains("put-throughput-64").contains("4.00× (2.00–4.00)");
    assertThat(table.lines().filter(l -> l.contains("srv µs/op")).count()).isEqualTo(1);
  }
}
