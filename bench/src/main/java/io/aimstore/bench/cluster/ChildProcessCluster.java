package io.aimstore.bench.cluster;

import io.aimstore.testkit.Commands;
import io.aimstore.testkit.PortPlan;
import io.aimstore.testkit.ProcessRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A peer's cluster whose members are child processes of the bench (etcd binaries, ZooKeeper JVMs):
 * the life cycle they share. A member is launched with its output appended to its log, registered,
 * and given a moment to fail at start; stopping is by PID (SIGTERM, then SIGKILL after a grace
 * period); {@link #stop} deletes the data. A subclass says how a member is launched and where it
 * keeps its files.
 */
abstract class ChildProcessCluster implements Cluster {
  private final PeerLayout layout;
  private final ProcessRegistry registry;
  private final Duration startGrace;
  private final Duration stopGrace;

  /** Member index → PID of its current process. */
  private final Map<Integer, Long> pids = new ConcurrentHashMap<>();

  /**
   * @param startGrace how long a launched member is given to fail at start before it counts as
   *     running
   * @param stopGrace how long {@link #stop} waits after SIGTERM before SIGKILL
   */
  ChildProcessCluster(
      PeerLayout layout, ProcessRegistry registry, Duration startGrace, Duration stopGrace) {
    this.layout = layout;
    this.registry = registry;
    this.startGrace = startGrace;
    this.stopGrace = stopGrace;
  }

  /** The command line of member {@code member}. */
  abstract List<String> command(int member);

  /** Member {@code member}'s log (its output is appended to it). */
  abstract Path log(int member);

  /** Writes what the members need before their first start (configurations); nothing by default. */
  void prepare() throws IOException {}

  @Override
  public void start() throws Exception {
    PortPlan.requireFree(kind().displayName(), layout.ports());
    prepare();
    startMembers();
  }

  /** Launches member {@code i}'s process (fresh data on the first start, its data after). */
  private void launch(int i) throws IOException {
    Path log = log(i);
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(command(i))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    pids.put(i, p.pid());
    registry.register(kind().id() + " n" + i, p.pid());
  }

  private void checkAlive(int i) throws IOException {
    if (memberPid(i).isEmpty()) {
      throw new IOException(
          kind().displayName() + " n" + i + " exited at start:\n" + Commands.tail(log(i), 20));
    }
  }

  @Override
  public int members() {
    return layout.members();
  }

  @Override
  public String clientAddress(int member) {
    return "127.0.0.1:" + layout.clientPort(member);
  }

  @Override
  public Path dataDir(int member) {
    return layout.dataDir(member);
  }

  @Override
  public void startMember(int member) throws Exception {
    launch(member);
    Thread.sleep(startGrace.toMillis());
    checkAlive(member);
  }

  @Override
  public void startMembers() throws Exception {
    for (int i = 1; i <= members(); i++) {
      launch(i);
    }
    Thread.sleep(startGrace.toMillis());
    for (int i = 1; i <= members(); i++) {
      checkAlive(i);
    }
  }

  @Override
  public void stopMembers() {
    registry.stop(List.copyOf(pids.values()), Duration.ofSeconds(10));
  }

  @Override
  public void kill9(int member) {
    Long pid = pids.get(member);
    if (pid != null) {
      registry.kill9(pid);
    }
  }

  @Override
  public OptionalLong memberPid(int member) {
    Long pid = pids.get(member);
    if (pid == null) {
      return OptionalLong.empty();
    }
    return registry.handle(pid).map(h -> OptionalLong.of(h.pid())).orElse(OptionalLong.empty());
  }

  @Override
  public void stop() {
    registry.stop(List.copyOf(pids.values()), stopGrace);
    pids.clear();
    for (int i = 1; i <= members(); i++) {
      Commands.deleteTreeQuietly(dataDir(i));
    }
  }
}
