package io.aimstore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs short helper commands (the cluster script, {@code du}, {@code jcmd}) with a time limit,
 * output appended to a log file; deletes directory trees.
 */
public final class Commands {
  /** Helper commands running now, so that an interrupted run can stop them too. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  private Commands() {}

  /** Kills every helper command still running and its descendants (shutdown hook). */
  public static void killRunning() {
    for (Process p : List.copyOf(RUNNING)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /**
   * Runs {@code command} to completion, appending its output to {@code log}. {@code env} is added
   * to the environment; a variable mapped to null is removed from it.
   *
   * @return the exit code
   * @throws IOException if it cannot start or does not finish within {@code timeout} (it is then
   *     killed)
   */
  public static int run(List<String> command, Map<String, String> env, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        "$ " + String.join(" ", command) + System.lineSeparator(),
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    Process p = pb.start();
    RUNNING.add(p);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IOException(
            "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
      }
      return p.exitValue();
    } finally {
      RUNNING.remove(p);
    }
  }

  /** Runs {@code command} and returns its standard output (stderr merged), or "" on failure. */
  public static String output(List<String> command, Path cwd, Duration timeout) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      if (cwd != null) {
        pb.directory(cwd.toFile());
      }
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return "";
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).strip() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The last {@code lines} lines of a file, for error messages. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log at " + file + ")";
    }
  }

  /** Disk usage of a directory tree in KiB ({@code du -sk}: blocks allocated), or -1. */
  public static long diskUsageKib(Path dir) {
    String out = output(List.of("du", "-sk", dir.toString()), null, Duration.ofSeconds(60));
    try {
      return Long.parseLong(out.split("\\s+")[0]);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Full collection, then the heap in use, of the JVM {@code pid}, in one attach ({@code jcmd PID
   * -f FILE} with {@code GC.run} and {@code GC.heap_info}): the live heap in KiB, or -1.
   */
  public static long liveHeapKib(long pid) {
    try {
      Path commands = Files.createTempFile("aimstore-bench-jcmd", ".txt");
      try {
        Files.writeString(commands, "GC.run\nGC.heap_info\n", StandardCharsets.UTF_8);
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String exe = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
        return heapUsedKib(
            output(
                List.of(exe, Long.toString(pid), "-f", commands.toString()),
                null,
                Duration.ofSeconds(60)));
      } finally {
        Files.deleteIfExists(commands);
      }
    } catch (IOException e) {
      return -1;
    }
  }

  /** The heap's "used NNNK" from {@code GC.heap_info} output (G1, Parallel, Serial), or -1. */
  public static long heapUsedKib(String heapInfo) {
    for (String line : heapInfo.split("\n")) {
      String l = line.strip();
      if (l.contains(" heap") && l.contains("used ") && !l.startsWith("Metaspace")) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(l);
        if (m.find()) {
          return Long.parseLong(m.group(1));
        }
      }
    }
    return -1;
  }

  /**
   * Deletes a directory tree if it exists: everything it can.
   *
   * @throws UncheckedIOException naming the first file that could not be deleted
   */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    IOException first = null;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
    } catch (IOException e) {
      first = first == null ? e : first;
    }
    if (first != null) {
      throw new UncheckedIOException(first);
    }
  }

  /**
   * Deletes what it can of a directory tree (a leftover file does not affect the next cluster's
   * fresh directory); for clean-up on the way out.
   */
  public static void deleteTreeQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (UncheckedIOException e) {
      // best effort
    }
  }
}
