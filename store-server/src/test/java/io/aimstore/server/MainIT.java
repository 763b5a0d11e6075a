package io.aimstore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A member started as its own process that cannot start says why in one line, exit code 2. */
class MainIT {
  @TempDir Path dir;

  record Exit(int code, String stderr) {}

  /** {@code aimstore args} in a JVM of its own, on this test's class path. */
  private static ProcessBuilder main(String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  private Exit start(String... flags) throws IOException, InterruptedException {
    Process p = main(flags).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the member exits").isTrue();
    return new Exit(
        p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aTakenPortIsOneLineAndExitCode2() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String client = "127.0.0.1:" + taken.getLocalPort();
      Exit e =
          start(
              "--cluster",
              "t",
              "--name",
              "n1",
              "--insecure",
              "true",
              "--data-dir",
              dir.resolve("n1").toString(),
              "--member",
              "n1@raft=127.0.0.1:"
                  + freePort()
                  + ",client="
                  + client
                  + ",metrics=127.0.0.1:"
                  + freePort());
      assertThat(e.code()).isEqualTo(2);
      assertThat(e.stderr().strip().lines()).hasSize(1);
      assertThat(e.stderr())
          .startsWith("aimstore: cannot listen on client address " + client + ": in use");
    }
  }

  @Test
  void helpIsUsageAndExitCode0() throws Exception {
    for (String[] help : new String[][] {{"--help"}, {"-h"}, {"restore", "--help"}}) {
      Process p = main(help).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(out).startsWith("usage: aimstore --config FILE").contains("aimstore restore FILE");
    }
  }

  @Test
  void aBadSettingIsOneLineAndExitCode2() throws Exception {
    Exit e = start("--cluster", "t", "--name", "n1");
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.stderr().strip().lines()).hasSize(1);
    assertThat(e.stderr()).startsWith("aimstore: ");
  }
}
