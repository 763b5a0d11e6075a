package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.LockInfo;
import io.aimstore.client.AimStoreClient;
import io.aimstore.testkit.InProcessCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'aimctl lock run' owns its command's life, with aimctl as a real process: killed with SIGKILL,
 * its command is gone within a second and the lock frees itself within its TTL; stopped with
 * SIGTERM, the command is stopped and the lock released at once; a lost lock stops the command.
 */
class LockRunIT {
  @TempDir static Path dir;
  static InProcessCluster cluster;
  static AimStoreClient client;
  static String endpoints;

  @BeforeAll
  static void start() {
    cluster = new InProcessCluster(dir, 3).start();
    cluster.awaitLeader();
    client = cluster.client();
    endpoints = Cli.of(cluster).endpoints();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** aimctl as its own process: {@code lock run NAME OPTIONS -- sh -c SCRIPT}. */
  private static Process lockRun(String name, List<String> options, String script)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Aimctl.class.getName(),
                "--endpoints",
                endpoints,
                "--insecure",
                "lock",
                "run",
                name));
    cmd.addAll(options);
    cmd.addAll(List.of("--", "sh", "-c", script));
    return new ProcessBuilder(cmd)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve(name + ".err").toFile())
        .start();
  }

  /** Runs the command; returns its pid once it runs holding the lock. */
  private static long started(String name, Path pidFile) throws Exception {
    waitFor(30_000, () -> Files.exists(pidFile) && holder(name) != 0);
    return Long.parseLong(Files.readString(pidFile).strip());
  }

  private static long holder(String name) {
    LockInfo l = AimStoreClient.await(client.locks().inspect(name)).getLock();
    return l.hasHolder() ? l.getHolder().getToken() : 0;
  }

  /** Alive: exists and not a zombie (a dead child waiting for its reaper). */
  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until {@code done}; returns how long it took, failing after {@code limitMs}. */
  private static long waitFor(long limitMs, BooleanSupplier done) throws InterruptedException {
    long start = System.nanoTime();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - start > limitMs * 1_000_000) {
        throw new AssertionError("not within " + limitMs + " ms");
      }
      Thread.sleep(10);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** An 'aimctl lock run' and the pid of the command it runs. */
  private record Holding(Process aimctl, long command) {
    /**
     * Sends aimctl SIGKILL or SIGTERM; returns how long (ms, at most 1 s) its command outlived it.
     */
    long stop(boolean kill) throws Exception {
      if (kill) {
        aimctl.destroyForcibly();
      } else {
        aimctl.destroy();
      }
      return waitFor(1000, () -> !alive(command));
    }
  }

  /** 'aimctl lock run NAME --ttl TTL' around a sleep; returns once the sleep runs. */
  private static Holding holding(String name, String ttl) throws Exception {
    Path pid = dir.resolve(name + ".pid");
    Process aimctl = lockRun(name, List.of("--ttl", ttl), "echo $$ > " + pid + "; exec sleep 600");
    return new Holding(aimctl, started(name, pid));
  }

  @Test
  void killedWithSigkillItsCommandDiesAtOnceAndTheLockFreesWithinItsTtl() throws Exception {
    Holding h = holding("k9", "3");
    long killed = System.nanoTime();
    long gone = h.stop(true);
    long free = waitFor(3500, () -> holder("k9") == 0);
    long freeAfterKill = (System.nanoTime() - killed) / 1_000_000;
    System.out.printf(
        "lock run killed -9: command gone after %d ms, lock free after %d ms (TTL 3 s)%n",
        gone, freeAfterKill);
    assertThat(gone).isLessThan(1000);
    assertThat(free).isLessThan(3500);
  }

  @Test
  void stoppedWithSigtermItStopsItsCommandAndReleasesTheLockAtOnce() throws Exception {
    Holding h = holding("term", "10");
    long stopped = System.nanoTime();
    long gone = h.stop(false);
    Process aimctl = h.aimctl();
    waitFor(1000, () -> holder("term") == 0);
    long free = (System.nanoTime() - stopped) / 1_000_000;
    assertThat(aimctl.waitFor(5, TimeUnit.SECONDS)).isTrue();
    System.out.printf(
        "lock run SIGTERM: command gone after %d ms, lock free after %d ms, exit %d%n",
        gone, free, aimctl.exitValue());
    assertThat(free).isLessThan(1000);
    assertThat(aimctl.exitValue()).isEqualTo(143);
  }

  @Test
  void aLostLockStopsTheCommandEvenOneThatIgnoresSigterm() throws Exception {
    Path pid = dir.resolve("lost.pid");
    Process aimctl =
        lockRun(
            "lost",
            List.of("--ttl", "10", "--grace", "1s"),
            "trap '' TERM; echo $$ > " + pid + "; exec sleep 600");
    long command = started("lost", pid);
    AimStoreClient.await(
        client
            .locks()
            .forceRelease(
                ForceReleaseRequest.newBuilder()
                    .setName("lost")
                    .setReason("test")
                    .setOperator("LockRunIT")
                    .build()));
    assertThat(aimctl.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(aimctl.exitValue()).isEqualTo(ExitCodes.LOCK_LOST);
    assertThat(alive(command)).isFalse();
    assertThat(Files.readString(dir.resolve("lost.err"))).contains("lock lost was lost");
  }

  @Test
  void theCommandsStatusIsPassedThroughAndTheLockReleased() {
    Cli cli = Cli.of(cluster);
    Cli.Run r = cli.run("lock", "run", "exit7", "--", "sh", "-c", "exit 7");
    assertThat(r.code()).isEqualTo(7);
    assertThat(holder("exit7")).isZero();
    assertThat(cli.run("lock", "run", "nf", "--", "no-such-command-here").code()).isEqualTo(127);
  }
}
