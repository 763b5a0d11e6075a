package io.aimstore.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ZookeeperFourLetterTest {

  @Test
  void modeOfASrvrAnswer() {
    String leader =
        "Zookeeper version: 3.9.5-abc, built on 2025-01-01 00:00 UTC\n"
            + "Latency min/avg/max: 0/0.5/12\nReceived: 100\nSent: 99\nConnections: 2\n"
            + "Outstanding: 0\nZxid: 0x100000010\nMode: leader\nNode count: 5\n"
            + "Proposal sizes last/min/max: 48/48/300\n";
    assertThat(ZookeeperFourLetter.mode(leader)).contains("leader");
    assertThat(ZookeeperFourLetter.mode(leader.replace("leader", "follower"))).contains("follower");
  }

  @Test
  void noModeWhileElectingOrDown() {
    assertThat(
            ZookeeperFourLetter.mode("This ZooKeeper instance is not currently serving requests\n"))
        .isEmpty();
    assertThat(ZookeeperFourLetter.mode("")).isEmpty();
  }

  @Test
  void aClosedPortAnswersNothing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(ZookeeperFourLetter.ask(port, "srvr", 500)).isEmpty();
  }
}
