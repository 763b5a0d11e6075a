package io.aimstore.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every server process a run started, by PID, so that all of them are stopped at the end, on
 * failure and on Ctrl-C (a JVM shutdown hook calls {@link #stopAll}). A PID is only signalled while
 * it still names the process that was registered (same start instant), never a recycled one.
 */
public final class ProcessRegistry {
  private record Entry(String name, long pid, Optional<Instant> started) {}

  private record PidFile(String name, Path file, String marker) {}

  private final Map<Long, Entry> live = new LinkedHashMap<>();
  private final List<PidFile> pidFiles = new ArrayList<>();

  /** Registers a process started by the bench. */
  public synchronized void register(String name, long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    live.put(pid, new Entry(name, pid, h.flatMap(p -> p.info().startInstant())));
  }

  /**
   * Registers a pid file that a helper script writes for a process it starts in the background (so
   * an interrupt during the script still stops that process). A PID read from it is only signalled
   * if its command line contains {@code marker}.
   */
  public synchronized void registerPidFile(String name, Path file, String marker) {
    pidFiles.add(new PidFile(name, file, marker));
  }

  /** Registers the processes named by the registered pid files that are running now. */
  public void adoptPidFiles() {
    List<PidFile> files;
    synchronized (this) {
      files = List.copyOf(pidFiles);
    }
    for (PidFile f : files) {
      try {
        if (!Files.exists(f.file)) {
          continue;
        }
        long pid = Long.parseLong(Files.readString(f.file).strip());
        boolean ours =
            ProcessHandle.of(pid)
                .flatMap(h -> h.info().arguments())
                .map(args -> String.join(" ", args).contains(f.marker))
                .orElse(false);
        synchronized (this) {
          if (ours && !live.containsKey(pid)) {
            register(f.name, pid);
          }
        }
      } catch (IOException | NumberFormatException e) {
        // no usable pid file: nothing to stop
      }
    }
  }

  /** Forgets a process that was stopped by other means. */
  public synchronized void forget(long pid) {
    live.remove(pid);
  }

  /** The registered process {@code pid}, if it is still that process and alive. */
  public synchronized Optional<ProcessHandle> handle(long pid) {
    Entry e = live.get(pid);
    return e == null ? Optional.empty() : sameProcess(e);
  }

  private static Optional<ProcessHandle> sameProcess(Entry e) {
    return ProcessHandle.of(e.pid)
        .filter(ProcessRegistry::alive)
        .filter(
            h ->
                e.started.isEmpty()
                    || h.info().startInstant().map(s -> s.equals(e.started.get())).orElse(true));
  }

  /**
   * Stops the given registered processes: SIGTERM, then SIGKILL for those still alive after {@code
   * grace}. Waits until they are gone (bounded).
   */
  public void stop(List<Long> pids, Duration grace) {
    List<ProcessHandle> handles = new ArrayList<>();
    for (long pid : pids) {
      handle(pid).ifPresent(handles::add);
    }
    for (ProcessHandle h : handles) {
      h.destroy();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle h : handles) {
      while (alive(h) && System.nanoTime() < deadline) {
        sleep(50);
      }
      if (alive(h)) {
        h.destroyForcibly();
      }
    }
    long killDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (ProcessHandle h : handles) {
      while (alive(h) && System.nanoTime() < killDeadline) {
        sleep(20);
      }
    }
    synchronized (this) {
      pids.forEach(live::remove);
    }
  }

  /**
   * Sends SIGKILL to a registered process (only if it is still that process) and waits until it is
   * gone (at most 10 s); forgets it.
   *
   * @return false if it was not running
   */
  public boolean kill9(long pid) {
    Optional<ProcessHandle> h = handle(pid);
    if (h.isEmpty()) {
      forget(pid);
      return false;
    }
    h.get().destroyForcibly();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (alive(h.get()) && System.nanoTime() < deadline) {
      sleep(5);
    }
    forget(pid);
    return true;
  }

  /** Stops everything still registered. Called from the shutdown hook. */
  public void stopAll(Duration grace) {
    adoptPidFiles();
    List<Long> pids;
    synchronized (this) {
      pids = new ArrayList<>(live.keySet());
    }
    if (!pids.isEmpty()) {
      stop(pids, grace);
    }
  }

  public List<String> describeLive() {
    adoptPidFiles();
    return describeRegistered();
  }

  private synchronized List<String> describeRegistered() {
    List<String> out = new ArrayList<>();
    for (Entry e : live.values()) {
      if (sameProcess(e).isPresent()) {
        out.add(e.name + " (pid " + e.pid + ")");
      }
    }
    return out;
  }

  /** Running, not merely a zombie waiting for its parent (or PID 1) to reap it. */
  private static boolean alive(ProcessHandle h) {
    return h.isAlive() && !ProcStat.exited(h.pid());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
