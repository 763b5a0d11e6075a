package io.aimstore.chaos.run;

import io.aimstore.chaos.nemesis.FaultKind;
import io.aimstore.chaos.workload.RegisterWorkload.Mix;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a chaos run does: the cluster, the faults, the workloads and the checkers' time budget. Made
 * by a {@link Builder}, whose defaults are the long profile's; {@link #toBuilder} changes one.
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

  /** The profile {@code mvn verify} runs: two minutes of every kind of fault. */
  public static Profile quick() {
    return longRun("short", 2);
  }

  /** {@code minutes} of every kind of fault. */
  public static Profile longRun(double minutes) {
    return longRun("long", minutes);
  }

  private static Profile longRun(String name, double minutes) {
    return builder(name)
        .faults(Duration.ofMillis((long) (minutes * 60_000)))
        .checkBudget(Duration.ofSeconds(Math.max(180, (long) (minutes * 20))))
        .build();
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

  /** A short run with fewer clients and keys, where one failpoint's bug must show. */
  private static Profile failpoint(String failpoint, Set<FaultKind> kinds) {
    return builder(failpoint)
        .faults(Duration.ofSeconds(40))
        .kinds(kinds)
        .quiet(1_000, 2_000)
        .registerClients(4)
        .keys(8, 1_000, 2_000)
        .locks(2, 1, 0)
        .watchers(1)
        .failpoints(failpoint)
        .checkBudget(Duration.ofSeconds(90))
        .build();
  }

  /** A profile named {@code name} with the long profile's settings and five minutes of faults. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this profile's settings. */
  public Builder toBuilder() {
    return new Builder(name)
        .size(size)
        .faults(faults)
        .kinds(kinds)
        .quiet(quietMinMs, quietMaxMs)
        .registerClients(registerClients)
        .pinnedReaders(pinnedReaders)
        .keys(activeKeys, opsPerKeyMin, opsPerKeyMax)
        .mix(mix)
        .locks(lockHolders, locks, lockPausePct)
        .lockTtl(lockTtl)
        .watchers(watchers)
        .failpoints(failpoints)
        .checkBudget(checkBudget)
        .snapshotThreshold(snapshotThreshold);
  }

  /** Settings of a {@link Profile}; see its components for what each means. */
  public static final class Builder {
    private final String name;
    private int size = 3;
    private Duration faults = Duration.ofMinutes(5);
    private Set<FaultKind> kinds = EnumSet.allOf(FaultKind.class);
    private long quietMinMs = 300;
    private long quietMaxMs = 1_500;
    private int registerClients = 6;
    private boolean pinnedReaders = true;
    private int activeKeys = 12;
    private int opsPerKeyMin = 1_000;
    private int opsPerKeyMax = 3_000;
    private Mix mix = new Mix(50, 25, 20, 4);
    private int lockHolders = 3;
    private int locks = 2;
    private Duration lockTtl = Duration.ofSeconds(3);
    private int lockPausePct = 5;
    private int watchers = 3;
    private String failpoints = "";
    private Duration checkBudget = Duration.ofSeconds(180);
    private long snapshotThreshold = 1_000;

    private Builder(String name) {
      this.name = name;
    }

    public Builder size(int members) {
      this.size = members;
      return this;
    }

    public Builder faults(Duration length) {
      this.faults = length;
      return this;
    }

    public Builder kinds(Set<FaultKind> faultKinds) {
      this.kinds = faultKinds;
      return this;
    }

    public Builder quiet(long minMs, long maxMs) {
      this.quietMinMs = minMs;
      this.quietMaxMs = maxMs;
      return this;
    }

    public Builder registerClients(int clients) {
      this.registerClients = clients;
      return this;
    }

    public Builder pinnedReaders(boolean pinned) {
      this.pinnedReaders = pinned;
      return this;
    }

    /** Keys in use at a time, and the fewest and most operations each gets. */
    public Builder keys(int active, int opsMin, int opsMax) {
      this.activeKeys = active;
      this.opsPerKeyMin = opsMin;
      this.opsPerKeyMax = opsMax;
      return this;
    }

    public Builder mix(Mix operations) {
      this.mix = operations;
      return this;
    }

    /** Fenced counter holders (0: none), the locks they share, and how often one pauses. */
    public Builder locks(int holders, int lockCount, int pausePct) {
      this.lockHolders = holders;
      this.locks = lockCount;
      this.lockPausePct = pausePct;
      return this;
    }

    public Builder lockTtl(Duration ttl) {
      this.lockTtl = ttl;
      return this;
    }

    public Builder watchers(int count) {
      this.watchers = count;
      return this;
    }

    public Builder failpoints(String names) {
      this.failpoints = names;
      return this;
    }

    public Builder checkBudget(Duration budget) {
      this.checkBudget = budget;
      return this;
    }

    public Builder snapshotThreshold(long entries) {
      this.snapshotThreshold = entries;
      return this;
    }

    public Profile build() {
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
          checkBudget,
          snapshotThreshold);
    }
  }
}
