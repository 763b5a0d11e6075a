package io.aimstore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimstore.api.SnapshotFile;
import io.aimstore.api.v1.SnapshotMetadata;
import io.aimstore.internal.LogEntry;
import io.aimstore.server.core.Limits;
import io.aimstore.server.core.Store;
import io.aimstore.server.storage.RocksBackend;
import io.aimstore.server.storage.StorageOptions;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restore seeds a data dir that a member of a new cluster accepts, and refuses what it must. */
class RestoreTest {
  @TempDir Path dir;

  /** A snapshot file of a store with one key, taken at log index 7. */
  private Path snapshotFile() throws Exception {
    Path kv = dir.resolve("source-kv");
    long revision;
    try (RocksBackend b = RocksBackend.open(kv, StorageOptions.DEFAULT)) {
      Store s = new Store(b, Limits.DEFAULT);
      s.apply(
          LogEntry.newBuilder()
              .addCommands(
                  io.aimstore.internal.Command.newBuilder()
                      .setCaller("insecure")
                      .setPut(
                          io.aimstore.api.v1.PutRequest.newBuilder()
                              .setKey(com.google.protobuf.ByteString.copyFromUtf8("/k"))
                              .setValue(com.google.protobuf.ByteString.copyFromUtf8("v"))))
              .build(),
          2,
          7);
      revision = s.revision();
      b.checkpoint(dir.resolve("checkpoint"));
    }
    List<SnapshotFile.Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("checkpoint"))) {
      for (Path f : files.sorted().toList()) {
        entries.add(SnapshotFile.Entry.of(f));
      }
    }
    Path file = dir.resolve("backup.snap");
    try (OutputStream out = Files.newOutputStream(file)) {
      SnapshotFile.write(
          out,
          SnapshotMetadata.newBuilder()
              .setFormatVersion(SnapshotFile.FORMAT_VERSION)
              .setClusterName("prod")
              .setMember("n2")
              .setRevision(revision)
              .build(),
          entries);
    }
    return file;
  }

  private static Restore.Request request(Path file, Path dataDir, String name) {
    return new Restore.Request(file, dataDir, name, List.of("n1", "n2", "n3"), null, "");
  }

  @Test
  void theRestoredStoreKeepsItsRevisionAndStartsANewLog() throws Exception {
    Path file = snapshotFile();
    Restore.Result r = Restore.run(request(file, dir.resolve("n1"), "n1"));
    assertThat(r.cluster()).isEqualTo("prod");
    try (RocksBackend b = RocksBackend.open(dir.resolve("n1/kv"), StorageOptions.DEFAULT)) {
      Store s = new Store(b, Limits.DEFAULT);
      assertThat(s.revision()).isEqualTo(r.snapshot().getRevision()).isPositive();
      assertThat(s.appliedIndex()).isEqualTo(1); // the new log goes on after the seeded snapshot
    }
    try (Stream<Path> sm = Files.walk(dir.resolve("n1/raft"))) {
      assertThat(sm.map(p -> p.getFileName().toString())).contains("snapshot.1_1");
    }
    assertThat(Files.readString(dir.resolve("n1/identity")))
        .isEqualTo("cluster=prod\nmember=n1\ncluster-token=" + r.clusterToken() + "\n");
    // the member of the new cluster accepts it; a member configured for another does not
    try (DataDirectory d = DataDirectory.open(dir.resolve("n1"), "prod", "n1")) {
      assertThat(d.clusterKey("prod")).isEqualTo("prod#" + r.clusterToken());
    }
    assertThatThrownBy(() -> DataDirectory.open(dir.resolve("n1"), "prod", "n2"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("belongs to cluster=prod member=n1");
  }

  @Test
  void everyMemberRestoredAlikeGetsTheSameTokenAndAnotherTokenMakesAnotherCluster()
      throws Exception {
    Path file = snapshotFile();
    Restore.Result n1 = Restore.run(request(file, dir.resolve("n1"), "n1"));
    Restore.Result n3 =
        Restore.run(
            new Restore.Request(
                file, dir.resolve("n3"), "n3", List.of("n3", "n1", "n2"), null, ""));
    assertThat(n3.clusterToken()).isEqualTo(n1.clusterToken());
    assertThat(n3.clusterId()).isEqualTo(n1.clusterId());
    Restore.Result other =
        Restore.run(
            new Restore.Request(
                file, dir.resolve("x1"), "n1", List.of("n1", "n2", "n3"), null, "second"));
    assertThat(other.clusterToken()).isNotEqualTo(n1.clusterToken());
    Set<String> names = new TreeSet<>(List.of("n1", "n2"));
    assertThat(Restore.token("ab", names, "")).isNotEqualTo(Restore.token("ab", names, "x"));
  }

  @Test
  void theConfiguredTokenFindsTheRestoredClusterAndKeepsTheOldOneOut() throws Exception {
    Restore.Result r = Restore.run(request(snapshotFile(), dir.resolve("n1"), "n1"));
    String token = r.clusterToken();
    try (DataDirectory d = DataDirectory.open(dir.resolve("n1"), "prod", "n1", token)) {
      assertThat(d.clusterKey("prod")).isEqualTo("prod#" + token);
    }
    // a member started empty (wiped) with the token in its configuration joins the new cluster
    try (DataDirectory d = DataDirectory.open(dir.resolve("empty"), "prod", "n2", token)) {
      assertThat(d.clusterKey("prod")).isEqualTo("prod#" + token);
    }
    assertThat(Files.readString(dir.resolve("empty/identity"))).contains("cluster-token=" + token);
    // a data dir of the cluster before the restore is refused, saying why
    DataDirectory.open(dir.resolve("old"), "prod", "n3").close();
    assertThatThrownBy(() -> DataDirectory.open(dir.resolve("old"), "prod", "n3", token))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("belongs to cluster prod as it was before it was restored")
        .hasMessageContaining("cannot join");
    assertThatThrownBy(() -> DataDirectory.open(dir.resolve("n1"), "prod", "n1", "other"))
        .hasMessageContaining("belongs to the cluster restored with token " + token);
  }

  @Test
  void refusesAnOccupiedDataDirAndANameOutsideTheCluster() throws Exception {
    Path file = snapshotFile();
    Files.writeString(Files.createDirectories(dir.resolve("busy")).resolve("something"), "x");
    assertThatThrownBy(() -> Restore.run(request(file, dir.resolve("busy"), "n1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not empty");
    assertThatThrownBy(() -> Restore.run(request(file, dir.resolve("n9"), "n9")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--name n9 is not in --initial-cluster n1,n2,n3");
  }

  @Test
  void theCommandLineSaysWhatIsWrongInOneLineAndExitCode2() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Restore.main(
            new String[] {
              "f.snap", "--data-dir", "d", "--name", "n1", "--initial-cluster", "n1=10.0.0.1:7411"
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("aimstore restore: --initial-cluster takes member names");
  }
}
