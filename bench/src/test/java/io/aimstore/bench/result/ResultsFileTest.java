package io.aimstore.bench.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsFileTest {

  @Test
  void linesRoundTripBySnakeCaseType() {
    Measurement m =
        new Measurement(
            Measurement.TYPE,
            "r",
            true,
            "etcd",
            2,
            "cas-64",
            "cas",
            64,
            0.25,
            1.0,
            1234,
            1,
            1234.0,
            500,
            600,
            900,
            1200,
            1500,
            550,
            0.4,
            324.1,
            100.5,
            0,
            "boom",
            Map.of("cas_conflicts", 3L),
            "t");
    RunError e = new RunError(RunError.TYPE, "r", "zookeeper", 1, null, "no quorum", "t");
    String resultLine = ResultsFile.toJson(m);

    assertThat(resultLine)
        .contains("\"type\":\"result\"")
        .contains("\"ops_per_s\":1234.0")
        .contains("\"server_cpu_us_per_op\":324.1")
        .contains("\"p999_us\":1200.0");

    ResultsFile.Contents c =
        ResultsFile.parse(
            List.of(resultLine, "", ResultsFile.toJson(e), "{\"type\":\"from-the-future\"}"));

    assertThat(c.env()).isNull();
    assertThat(c.results()).hasSize(1);
    Measurement back = c.results().get(0);
    assertThat(back.system()).isEqualTo("etcd");
    assertThat(back.inFlight()).isEqualTo(64);
    assertThat(back.p99Us()).isEqualTo(900);
    assertThat(((Number) back.extras().get("cas_conflicts")).longValue()).isEqualTo(3);
    assertThat(c.errors()).containsExactly(e);
  }
}
