package io.aimstore.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ZookeeperConfigTest {
  private final ZookeeperConfig config = new ZookeeperConfig(Path.of("/runs/x/zk"), 17600, 3);

  @Test
  void zooCfgOfMemberThree() {
    String cfg = config.zooCfg(3);

    assertThat(cfg.lines())
        .contains(
            "dataDir=/runs/x/zk/n3/data",
            "clientPortAddress=127.0.0.1",
            "clientPort=17603",
            "admin.enableServer=false",
            "forceSync=yes",
            "minSessionTimeout=3000",
            "server.1=127.0.0.1:17611:17621",
            "server.2=127.0.0.1:17612:17622",
            "server.3=127.0.0.1:17613:17623");
  }

  @Test
  void connectStringAndPorts() {
    assertThat(config.connectString()).isEqualTo("127.0.0.1:17601,127.0.0.1:17602,127.0.0.1:17603");
    assertThat(config.ports()).hasSize(9).contains(17601, 17613, 17623).doesNotHaveDuplicates();
    assertThat(config.configFile(1)).isEqualTo(Path.of("/runs/x/zk/n1/zoo.cfg"));
  }

  @Test
  void membersLogOnlyWarnings() {
    assertThat(ZookeeperConfig.logbackXml()).contains("<root level=\"WARN\">");
  }
}
