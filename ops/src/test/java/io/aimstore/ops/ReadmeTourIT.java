package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the commands of README.md's "A short tour", as written, in one bash session against a real
 * three-process cluster that {@code ops/bin/aimstore-cluster up} starts in a temporary cluster
 * directory on free ports; aimctl and the drone find it through {@code AIMSTORE_CLUSTER_DIR}. The
 * test fails on the first command that exits non-zero, naming it. Needs the packaged jars ({@code
 * mvn verify} builds them before the integration tests).
 */
class ReadmeTourIT {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  @TempDir static Path clusterDir;

  @BeforeAll
  static void up() throws Exception {
    for (String jar :
        List.of("ops/target/aimstore-ops.jar", "store-server/target/aimstore-server.jar")) {
      assertThat(ROOT.resolve(jar)).as("packaged before the integration tests").exists();
    }
    Result r = bash("ops/bin/aimstore-cluster up --base-port " + freeBase(), 180);
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).contains("cluster is serving: 127.0.0.1:").contains("mutual TLS");
  }

  @AfterAll
  static void down() throws Exception {
    bash("ops/bin/aimstore-cluster down", 120);
  }

  record Result(int code, String output) {}

  /** Runs {@code script} with bash in the checkout, with the test's cluster directory. */
  static Result bash(String script, int timeoutSeconds) throws Exception {
    Path log = Files.createTempFile(clusterDir, "bash", ".log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", script)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("AIMSTORE_CLUSTER_DIR", clusterDir.toString());
    pb.environment().remove("AIMSTORE_ENDPOINTS");
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor();
      return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** A base port whose 23 ports (client, Raft and metrics of three members) are all free. */
  static int freeBase() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + 100 * ThreadLocalRandom.current().nextInt(200);
      if (allFree(base)) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range");
  }

  private static boolean allFree(int base) {
    for (int port = base + 1; port <= base + 23; port++) {
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** The shell lines of the ```sh blocks of the README section {@code heading}. */
  static List<String> commands(String heading) throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n" + heading + "\n");
    assertThat(start).as("README has a section " + heading).isPositive();
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> lines = new ArrayList<>();
    boolean inSh = false;
    for (String line : section.split("\n")) {
      if (line.startsWith("```")) {
        inSh = !inSh && line.equals("```sh");
        continue;
      }
      String l = line.strip();
      if (inSh && !l.isEmpty() && !l.startsWith("#")) {
        lines.add(l);
      }
    }
    return lines;
  }

  @Test
  void theTourRunsAsWritten() throws Exception {
    List<String> lines = commands("## A short tour");
    assertThat(lines).hasSizeGreaterThan(20);
    StringBuilder script = new StringBuilder();
    // background jobs (keep-alive, watch, drone, a hung lock holder) end with the script
    script.append("trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\n");
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      script
          .append("echo \">>> ")
          .append(
              line.replace("\\", "\\\\")
                  .replace("\"", "\\\"")
                  .replace("$", "\\$")
                  .replace("`", "\\`"))
          .append("\"\n");
      if (line.endsWith("&")) {
        script.append(line).append('\n');
      } else {
        script
            .append(line)
            .append(" || { echo \"<<< FAILED (exit $?): line ")
            .append(i + 1)
            .append("\"; exit 1; }\n");
      }
    }
    Result r = bash(script.toString(), 600);
    assertThat(r.code()).as("README tour output:\n" + r.output()).isZero();
    assertThat(r.output())
        .contains("OK (revision")
        .contains("pushed ")
        .contains("released lock aim_lock_config.conf")
        .contains("identity: spiffe://aimstore/operator/admin")
        .contains(
            "PERMISSION_DENIED: spiffe://aimstore/fleet/fleet-1/drone/drone-1 may not write"
                + " \"/aim/fleet-1/drones/drone-2/presence\"")
        .contains("{\"type\":\"PUT\",\"kv\":{\"key\":\"/aim/fleet-1/");
  }
}
