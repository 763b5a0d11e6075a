package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.aimstore.ops.Cli.Run;
import io.aimstore.testkit.InProcessCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** aimctl member add / list / transfer-leader / remove, as an operator types them. */
@Timeout(120)
class MemberCommandIT {
  @TempDir Path dir;

  @Test
  void addListTransferAndRemoveAMember() {
    try (InProcessCluster cluster = new InProcessCluster(dir, 3).secure().start()) {
      Cli cli = Cli.of(cluster);
      int i = cluster.startJoiningMember();
      String raftPort = cluster.raftAddress(i).split(":")[1];
      String clientPort = cluster.endpoint(i).split(":")[1];
      String metricsPort = cluster.metricsAddress(i).split(":")[1];

      Run missingReason =
          cli.run("member", "add", "n4", "127.0.0.1:" + raftPort + ":" + clientPort);
      assertThat(missingReason.code()).isEqualTo(2);
      assertThat(missingReason.err()).contains("--reason");

      Run add =
          cli.run(
              "member",
              "add",
              "n4",
              "127.0.0.1:" + raftPort + ":" + clientPort + ":" + metricsPort,
              "--reason",
              "grow",
              "--wait",
              "30s");
      assertThat(add.code()).as(add.err()).isZero();
      assertThat(add.out())
          .startsWith("added member n4 (audit record at revision")
          .contains("spiffe://aimstore/operator/")
          .containsPattern("n4 .* FOLLOWER +\\d+ +\\d+ +\\d+ms");

      JsonObject list = cli.run("member", "list", "-o", "json").json();
      List<String> names = new ArrayList<>();
      for (JsonElement m : list.getAsJsonArray("members")) {
        JsonObject o = m.getAsJsonObject();
        names.add(o.get("name").getAsString());
        assertThat(o.has("match_index")).as(o.toString()).isTrue();
        assertThat(o.has("lag")).isTrue();
      }
      assertThat(names).containsExactlyInAnyOrder("n1", "n2", "n3", "n4");

      Run transfer = cli.run("member", "transfer-leader", "n4", "--reason", "maintenance of n1");
      assertThat(transfer.code()).as(transfer.err()).isZero();
      assertThat(transfer.out()).startsWith("n4 leads now");
      assertThat(cli.run("member", "leader").out().strip()).isEqualTo("n4");

      Run removeLeader = cli.run("member", "remove", "n4", "--reason", "shrink");
      assertThat(removeLeader.code()).isEqualTo(1);
      assertThat(removeLeader.err()).contains("n4 leads").contains("transfer-leader");

      assertThat(cli.run("member", "transfer-leader", "n1", "--reason", "back").code()).isZero();
      Run remove = cli.run("member", "remove", "n4", "--reason", "shrink");
      assertThat(remove.code()).as(remove.err()).isZero();
      assertThat(remove.out()).startsWith("removed member n4").doesNotContainPattern("(?m)^n4 ");

      Run audit = cli.run("audit");
      assertThat(audit.out())
          .contains("member-add")
          .contains("member-promote")
          .contains("member-transfer-leader")
          .contains("member-remove");
    }
  }
}
