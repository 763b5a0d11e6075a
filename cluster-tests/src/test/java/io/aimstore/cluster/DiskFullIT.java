package io.aimstore.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.server.core.Store;
import io.aimstore.server.storage.StorageOptions;
import io.aimstore.testkit.InProcessCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of real disk space: every member's data directory on one small tmpfs (mounted by the
 * test; skipped where mounting is not permitted). Writes fill it until the members cannot write
 * their Raft logs or RocksDB files; what was acknowledged before must survive, nothing may be
 * acknowledged that is not on disk, and once space returns (the file system grows) the members
 * recover with at most a restart — no manual repair — and hold identical state.
 */
class DiskFullIT {
  static final int VALUE_BYTES = 64 * 1024;

  @TempDir Path dir;
  private Path mount;
  private boolean mounted;

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  @Disabled(
      "known bug, open in issue 14: in one of three CI runs a member filled while persisting Ratis's"
          + " raft-meta (term and vote) and could not restart ('Failed to load .../current/raft-meta'):"
          + " a full disk must never need manual repair; enable again once that file survives ENOSPC")
  void aFullDiskLosesNoAcknowledgedWriteAndIsRecoveredByARestart() throws Exception {
    mount = dir.resolve("small-disk");
    Files.createDirectories(mount);
    mounted = run("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", mount.toString()) == 0;
    Assumptions.assumeTrue(
        mounted,
        "mounting a size-limited tmpfs needs root (CAP_SYS_ADMIN); this machine does not allow it");

    Map<String, ByteString> acked = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    Random random = new Random(4);
    try (InProcessCluster cluster =
        new InProcessCluster(mount, 3)
            .storage(StorageOptions.DEFAULT.withQuotaBackendBytes(0))
            .start()) {
      AimStoreClient client = cluster.client();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int consecutiveFailures = 0;
      for (int i = 0; consecutiveFailures < 5 && System.nanoTime() < deadline; i++) {
        byte[] b = new byte[VALUE_BYTES];
        random.nextBytes(b);
        ByteString value = ByteString.copyFrom(b);
        String key = "/full/" + i;
        try {
          client
              .kv()
              .put(
                  PutRequest.newBuilder()
                      .setKey(ByteString.copyFromUtf8(key))
                      .setValue(value)
                      .build())
              .get(10, TimeUnit.SECONDS);
          acked.put(key, value);
          consecutiveFailures = 0;
        } catch (Exception e) {
          AimStoreException a = AimStoreException.from(e);
          failures.add(key + ": " + a.code() + " " + a.description());
          consecutiveFailures++;
        }
      }
      System.out.println(
          "disk full after " + acked.size() + " acknowledged puts; failures: " + failures);
      assertThat(failures).as("the disk filled up").isNotEmpty();
      assertThat(acked).as("some writes were acknowledged first").hasSizeGreaterThan(10);
      // a member whose Raft server stopped (a failed RocksDB write in apply stops it; a failed log
      // write alone may only leave the member unable to append) says so on /healthz, so a
      // supervisor restarts it
      long stopped =
          java.util.stream.IntStream.rangeClosed(1, 3)
              .filter(i -> !cluster.node(i).raft().isRunning())
              .peek(
                  i ->
                      assertThat(healthz(cluster.metricsAddress(i)))
                          .startsWith("503")
                          .contains("Raft server stopped"))
              .count();
      System.out.println("members whose Raft server stopped on the full disk: " + stopped);

      // space returns; each member restarted (at worst) comes back by itself
      assertThat(run("mount", "-o", "remount,size=400m", mount.toString())).isZero();
      for (int i = 1; i <= 3; i++) {
        cluster.stop(i);
      }
      for (int i = 1; i <= 3; i++) {
        cluster.start(i);
      }
      cluster.awaitLeader();
      try (AimStoreClient after = cluster.client()) {
        long rev =
            after.kv().put("/after", "ok").get(30, TimeUnit.SECONDS).getHeader().getRevision();
        for (int m = 1; m <= 3; m++) {
          int member = m;
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (cluster.node(member).raft().stateMachine().read(s -> s.revision()) < rev) {
            assertThat(System.nanoTime()).as("n%d caught up", member).isLessThan(until);
            Thread.sleep(100);
          }
        }
        for (Map.Entry<String, ByteString> e : acked.entrySet()) {
          assertThat(after.kv().get(e.getKey()).get(10, TimeUnit.SECONDS).getKvs(0).getValue())
              .as(e.getKey())
              .isEqualTo(e.getValue());
        }
        String hash = cluster.node(1).raft().stateMachine().read(Store::stateHash);
        for (int m = 2; m <= 3; m++) {
          String other = cluster.node(m).raft().stateMachine().read(Store::stateHash);
          assertThat(other).as("n%d holds the same state", m).isEqualTo(hash);
        }
      }
    }
  }

  private static String healthz(String hostPort) {
    try {
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://" + hostPort + "/healthz"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int rc = p.waitFor();
    if (rc != 0) {
      System.out.println(String.join(" ", command) + " -> " + rc + ": " + out.strip());
    }
    return rc;
  }
}
