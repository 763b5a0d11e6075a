package io.aimstore.bench;

import io.aimstore.bench.load.RunObserver;
import io.aimstore.testkit.ProcStat;
import java.util.List;
import java.util.function.Supplier;

/**
 * CPU time (user + system, from /proc/PID/stat) of the servers and of the bench's own JVM over a
 * run's measured window.
 */
final class CpuObserver implements RunObserver {
  private static final long SELF = ProcessHandle.current().pid();

  private final Supplier<List<Long>> serverPids;
  private List<Long> pids = List.of();
  private double serverAtOpen;
  private double selfAtOpen;
  private double machineAtOpen;
  private double serverSeconds;
  private double clientSeconds;
  private double machineSeconds;

  CpuObserver(Supplier<List<Long>> serverPids) {
    this.serverPids = serverPids;
  }

  @Override
  public void windowOpened() {
    pids = serverPids.get();
    serverAtOpen = ProcStat.cpuSeconds(pids);
    selfAtOpen = ProcStat.cpuSeconds(SELF);
    machineAtOpen = ProcStat.machineBusySeconds();
  }

  @Override
  public void windowClosed() {
    serverSeconds = ProcStat.cpuSeconds(pids) - serverAtOpen;
    clientSeconds = ProcStat.cpuSeconds(SELF) - selfAtOpen;
    machineSeconds = machineAtOpen < 0 ? -1 : ProcStat.machineBusySeconds() - machineAtOpen;
  }

  /** Busy CPU seconds of the whole machine over the window (every process), -1 if unknown. */
  double machineSeconds() {
    return machineSeconds;
  }

  double serverSeconds() {
    return serverSeconds;
  }

  double clientSeconds() {
    return clientSeconds;
  }
}
