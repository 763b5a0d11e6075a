package io.aimstore.ops.process;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command run in a process group of its own that cannot outlive this JVM.
 *
 * <p>How: the command is started through a small POSIX shell, the group leader, made session and
 * group leader by util-linux {@code setsid}, with a parent-death signal set by util-linux {@code
 * setpriv --pdeathsig}. If this JVM dies in any way — {@code kill -9} included — the kernel sends
 * the leader that signal and the leader kills its whole group (the command and everything it
 * started) with SIGKILL at once. While the JVM lives, {@link #stop(Duration)} ends the group
 * politely: SIGTERM to every process of it, SIGKILL after a grace period. The leader passes the
 * command's exit status through (128+N when a signal N ended it; 126/127 when it could not be run
 * or found).
 *
 * <p>The command keeps this process's standard input, output and error, but not its controlling
 * terminal (it is in a session of its own); a terminal's Ctrl-C reaches aimctl, which stops the
 * group. Without {@code setsid} and {@code setpriv} on the PATH (util-linux; every Debian has them)
 * the command still runs, is stopped through its process tree, and {@link #diesWithParent()} says
 * that it would outlive a {@code kill -9} of this JVM.
 *
 * <p>Start it from a thread that lives as long as the command: the kernel sends the parent-death
 * signal when the thread that started the child ends.
 */
public final class CommandGroup {
  /**
   * Arms the leader (its group is its own, by setsid): USR1 is the parent-death signal, on which it
   * kills the whole group at once; if aimctl ($1) died before the signal was armed, it does so at
   * once.
   */
  private static final String GUARD =
      String.join("\n", "trap 'kill -KILL 0' USR1", "[ \"$PPID\" = \"$1\" ] || kill -KILL 0", "");

  /**
   * Runs the command (the arguments after $1) and passes its status through. TERM/INT/HUP reach the
   * leader with the rest of the group when aimctl stops it: the leader outlives them to report the
   * command's status. stdin goes to the command through fd 3 (sh gives a background job /dev/null).
   */
  private static final String RUN =
      String.join(
          "\n",
          "shift",
          "trap ':' TERM INT HUP",
          "exec 3<&0",
          "\"$@\" <&3 3<&- &",
          "child=$!",
          "exec 3<&-",
          "while :; do",
          "  wait \"$child\"; code=$?",
          "  if [ \"$code\" -gt 128 ] && kill -0 \"$child\" 2>/dev/null; then continue; fi",
          "  exit \"$code\"",
          "done");

  private final Process leader;
  private final boolean diesWithParent;

  private CommandGroup(Process leader, boolean diesWithParent) {
    this.leader = leader;
    this.diesWithParent = diesWithParent;
  }

  /**
   * Starts {@code command} with {@code extraEnv} added to this process's environment.
   *
   * @throws IOException when the shell cannot be started
   */
  public static CommandGroup start(List<String> command, Map<String, String> extraEnv)
      throws IOException {
    boolean guarded = onPath("setsid") && onPath("setpriv");
    List<String> argv = new ArrayList<>();
    if (guarded) {
      argv.addAll(List.of("setsid", "setpriv", "--pdeathsig", "USR1", "--"));
    }
    argv.addAll(
        List.of(
            "/bin/sh",
            "-c",
            guarded ? GUARD + RUN : RUN,
            "aimctl-lock-run",
            Long.toString(ProcessHandle.current().pid())));
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
    pb.environment().putAll(extraEnv);
    return new CommandGroup(pb.start(), guarded);
  }

  /** Whether the group is killed when this JVM dies, even by SIGKILL. */
  public boolean diesWithParent() {
    return diesWithParent;
  }

  /** The process group id (the leader's pid). */
  public long pgid() {
    return leader.pid();
  }

  public boolean isAlive() {
    return leader.isAlive();
  }

  /** Waits for the command; returns its exit status. */
  public int waitFor() throws InterruptedException {
    return leader.waitFor();
  }

  /**
   * Stops the group: SIGTERM to all of it, SIGKILL after {@code grace} if the command has not
   * ended. Returns when the leader has exited (the command's status is then {@link #waitFor()}'s).
   */
  public void stop(Duration grace) throws InterruptedException {
    if (!leader.isAlive()) {
      return;
    }
    signalGroup("TERM");
    if (!leader.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      signalGroup("KILL");
      leader.waitFor();
    }
  }

  /**
   * Sends SIGTERM or SIGKILL to every process of the group (the shell's kill takes a negative pid),
   * or, without a group of its own, to the leader and its descendants.
   */
  private void signalGroup(String signal) throws InterruptedException {
    boolean kill = signal.equals("KILL");
    if (diesWithParent) {
      try {
        int rc =
            new ProcessBuilder("/bin/sh", "-c", "kill -" + signal + " -- -" + pgid())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
        if (rc == 0) {
          return;
        }
      } catch (IOException e) {
        // fall through to signalling the processes one by one
      }
    }
    leader
        .descendants()
        .forEach(
            p -> {
              if (kill) {
                p.destroyForcibly();
              } else {
                p.destroy();
              }
            });
    if (kill) {
      leader.destroyForcibly();
    } else {
      leader.destroy();
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
