package io.aimstore.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * What {@code /proc} tells of processes: whether one has exited or is stopped, its CPU time ({@code
 * utime + stime} of {@code /proc/<pid>/stat}, fields 14 and 15, all threads, in clock ticks), its
 * resident memory; and the whole machine's busy CPU time.
 */
public final class ProcStat {
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcStat() {}

  /**
   * Parses {@code utime + stime} from the text of a {@code /proc/<pid>/stat} file. The command name
   * (field 2) is in parentheses and may hold spaces or parentheses, so fields are counted from the
   * last ')'.
   */
  public static long cpuTicks(String statLine) {
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
    }
    String[] f = statLine.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state); utime is field 14 -> f[11], stime field 15 -> f[12]
    if (f.length < 13) {
      throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + statLine);
    }
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The state letter (field 3) of a {@code /proc/<pid>/stat} line: R, S, D, Z, T, X, ... */
  public static char state(String statLine) {
    int close = statLine.lastIndexOf(')');
    String rest = close < 0 ? "" : statLine.substring(close + 1).trim();
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
    }
    return rest.charAt(0);
  }

  /**
   * Whether {@code pid} has exited: no such process, or a zombie waiting to be reaped (a process
   * whose parent script has exited is reaped by PID 1, which may take seconds; {@code kill -0} and
   * {@link ProcessHandle#isAlive} still count it alive until then).
   */
  public static boolean exited(long pid) {
    try {
      char s = state(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
      return s == 'Z' || s == 'X';
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** Whether {@code pid} is stopped by a signal (SIGSTOP): state T. */
  public static boolean stopped(long pid) {
    try {
      return state(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) == 'T';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** CPU seconds used so far by {@code pid}, or -1 if it is gone. */
  public static double cpuSeconds(long pid) {
    try {
      return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
          / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Sum over {@code pids} of the CPU seconds used so far; processes that are gone count 0. */
  public static double cpuSeconds(Collection<Long> pids) {
    double sum = 0;
    for (long pid : pids) {
      sum += Math.max(0, cpuSeconds(pid));
    }
    return sum;
  }

  /**
   * Busy CPU seconds of the whole machine (all cores) from the first line of a {@code /proc/stat}
   * text: user + nice + system + irq + softirq + steal, i.e. everything but idle and iowait.
   */
  public static long machineBusyTicks(String procStat) {
    String first = procStat.lines().findFirst().orElse("");
    String[] f = first.trim().split("\\s+");
    if (f.length < 9 || !f[0].equals("cpu")) {
      throw new IllegalArgumentException("not a /proc/stat cpu line: " + first);
    }
    long busy = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      busy += Long.parseLong(f[i]);
    }
    return busy;
  }

  /** Busy CPU seconds of the whole machine so far, or -1 if unavailable. */
  public static double machineBusySeconds() {
    try {
      return machineBusyTicks(Files.readString(Path.of("/proc/stat"))) / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Resident set size in KiB from the text of a {@code /proc/<pid>/status} file ({@code VmRSS}).
   */
  public static long rssKib(String statusText) {
    for (String line : statusText.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] f = line.substring("VmRSS:".length()).trim().split("\\s+");
        long v = Long.parseLong(f[0]);
        if (f.length > 1 && !f[1].equalsIgnoreCase("kB")) {
          throw new IllegalArgumentException("unexpected VmRSS unit: " + line);
        }
        return v;
      }
    }
    throw new IllegalArgumentException("no VmRSS line (a kernel thread or a zombie?)");
  }

  /** Resident set size of {@code pid} in KiB, or -1 if it is gone. */
  public static long rssKib(long pid) {
    try {
      return rssKib(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  public static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
