package io.aimstore.chaos.run;

import io.aimstore.chaos.nemesis.FaultKind;
import io.aimstore.chaos.workload.RegisterWorkload.Mix;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a chaos run does: the cluster, the faults, the workloads and the checkers' time budget.
 *
 * @param name for reports and the run directory
 * @param size members (3 or 5)
 * @param faults how long the nemesis injects faults
 * @param kinds the faults it chooses from
 * @param quietMinMs shortest rest between faults
 * @param quietMaxMs longest rest between faults
 * @param registerClients register clients that use every member (each starts on a different one)
 * @param pinnedReaders whether each member also gets a reader that only talks to it
 * @param activeKeys register keys in use at a time
 * @param opsPerKeyMin fewest operations a key gets before it is replaced by a fresh one
 * @param opsPerKeyMax most operations a key gets
 * @param mix the register operation mix
 * @param lockHolders holders of the fenced counter workload (0: none)
 * @param locks locks (each guarding a counter)
 * @param lockTtl the holders' lease TTL
 * @param lockPausePct share of rounds in which a holder pauses past its TTL before writing
 * @param watchers watchers of the register prefix
 * @param failpoints server failpoints to switch on (to prove the checkers catch real bugs)
 * @param checkBudget time the linearizability checker may take
 * @param snapshotThreshold log entries between the members' snapshots
 */
public record Profile(
    String name,
    int size,
    Duration faults,
    Set<FaultKind> kinds,
    long quietMinMs,
    long quietMaxMs,
    int registerClients,
    boolean pinnedReaders,
    int activeKeys,
    int opsPerKeyMin,
    int opsPerKeyMax,
    Mix mix,
    int lockHolders,
    int locks,
    Duration lockTtl,
    int lockPausePct,
    int watchers,
    String failpoints,
    Duration checkBudget,
    long snapshotThreshold) {

  private static final Mix DEFAULT_MIX = new Mix(50, 25, 20, 4);

  /** The profile {@code mvn verify} runs: two minutes of every kind of fault. */
  public static Profile quick() {
    return longRun("short", 2);
  }

  /** {@code minutes} of every kind of fault. */
  public static Profile longRun(double minutes) {
    return longRun("long", minutes);
  }

  private static Profile longRun(String name, double minutes) {
    return new Profile(
        name,
        3,
        Duration.ofMillis((long) (minutes * 60_000)),
        EnumSet.allOf(FaultKind.class),
        300,
        1_500,
        6,
        true,
        12,
        1_000,
        3_000,
        DEFAULT_MIX,
        3,
        2,
        Duration.ofSeconds(3),
        5,
        3,
        "",
        Duration.ofSeconds(Math.max(180, (long) (minutes * 20))),
        1_000);
  }

  /**
   * Proof for {@code stale-reads}: followers cut off from the majority while the majority keeps
   * writing, and every member has a reader of its own, so the cut-off member's readers see old
   * values.
   */
  public static Profile staleReads() {
    return failpoint("stale-reads", EnumSet.of(FaultKind.ISOLATE_FOLLOWER));
  }

  /**
   * Proof for {@code ack-before-commit}: puts are acknowledged before Raft commits them, and the
   * leader is killed now and then.
   */
  public static Profile ackBeforeCommit() {
    return failpoint("ack-before-commit", EnumSet.of(FaultKind.KILL_LEADER));
  }

  private static Profile failpoint(String failpoint, Set<FaultKind> kinds) {
    return new Profile(
        failpoint,
        3,
        Duration.ofSeconds(40),
        kinds,
        1_000,
        2_000,
        4,
        true,
        8,
        1_000,
        2_000,
        DEFAULT_MIX,
        2,
        1,
        Duration.ofSeconds(3),
        0,
        1,
        failpoint,
        Duration.ofSeconds(90),
        1_000);
  }

  public Profile withSize(int s) {
    return new Profile(
        name,
        s,
        faults,
        kinds,
        quietMinMs,
        quietMaxMs,
        registerClients,
        pinnedReaders,
        activeKeys,
        opsPerKeyMin,
        opsPerKeyMax,
        mix,
        lockHolders,
        locks,
        lockTtl,
        lockPausePct,
        watchers,
        failpoints,
        checkBudget,
        snapshotThreshold);
  }

  public Profile withKinds(Set<FaultKind> k) {
    return new Profile(
        name,
        size,
        faults,
        k,
        quietMinMs,
        quietMaxMs,
        registerClients,
        pinnedReaders,
        activeKeys,
        opsPerKeyMin,
        opsPerKeyMax,
        mix,
        lockHolders,
        locks,
        lockTtl,
        lockPausePct,
        watchers,
        failpoints,
        checkBudget,
        snapshotThreshold);
  }

  public Profile withCheckBudget(Duration b) {
    return new Profile(
        name,
        size,
        faults,
        kinds,
        quietMinMs,
        quietMaxMs,
        registerClients,
        pinnedReaders,
        activeKeys,
        opsPerKeyMin,
        opsPerKeyMax,
        mix,
        lockHolders,
        locks,
        lockTtl,
        lockPausePct,
        watchers,
        failpoints,
        b,
        snapshotThreshold);
  }

  public Profile withFailpoints(String f) {
    return new Profile(
        name,
        size,
        faults,
        kinds,
        quietMinMs,
        quietMaxMs,
        registerClients,
        pinnedReaders,
        activeKeys,
        opsPerKeyMin,
        opsPerKeyMax,
        mix,
        lockHolders,
        locks,
        lockTtl,
        lockPausePct,
        watchers,
        f,
        checkBudget,
        snapshotThreshold);
  }
}
