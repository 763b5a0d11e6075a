package io.aimstore.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The lines a running process prints, read on a thread of their own as they come. */
final class ProcessLines {
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  ProcessLines(Process p) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "process-lines");
    t.setDaemon(true);
    t.start();
  }

  /** The next line, waiting up to {@code timeout}; null if none came. */
  String next(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Skips lines until one equals {@code expected}; false if it did not come in time. */
  boolean awaitLine(String expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String l = next(Duration.ofNanos(deadline - System.nanoTime()));
      if (expected.equals(l)) {
        return true;
      }
    }
    return false;
  }
}
