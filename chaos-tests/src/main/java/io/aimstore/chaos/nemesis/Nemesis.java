package io.aimstore.chaos.nemesis;

import io.aimstore.chaos.cluster.Network;
import io.aimstore.testkit.ProcessCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Injects faults into a {@link ProcessCluster} and its {@link Network}, one at a time: pick a kind
 * and its targets at random, inject it, hold it, heal it, wait until every member answers and
 * agrees on a leader (at most {@link #RECOVERY_WAIT}), rest, and go again.
 *
 * <p>Every choice (kind, targets, durations, delays) comes from one {@link Random} seeded by the
 * run's seed and is drawn the same way whatever the cluster does, so a seed replays the same
 * schedule; only "the leader" depends on the run (a random member stands in when none is found).
 */
public final class Nemesis {

  /** The longest wait for the cluster to recover after a fault is healed. */
  static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

  /**
   * What to inject.
   *
   * @param kinds the kinds to choose from, each as likely
   * @param quietMinMs the shortest rest between faults
   * @param quietMaxMs the longest rest between faults
   */
  public record Settings(Set<FaultKind> kinds, long quietMinMs, long quietMaxMs) {
    public Settings {
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException("no fault kinds");
      }
      kinds = Collections.unmodifiableSet(new TreeSet<>(kinds));
    }
  }

  private final ProcessCluster cluster;
  private final Network net;
  private final Settings settings;
  private final Random random;
  private final LongSupplier clockMs;
  private final List<FaultKind> kinds;
  private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
  private volatile String current = "not started";
  private volatile boolean stopping;

  /**
   * @param net the proxies of the cluster's Raft links
   * @param clockMs milliseconds since the run started, for the fault records
   */
  public Nemesis(
      ProcessCluster cluster, Network net, Settings settings, long seed, LongSupplier clockMs) {
    this.cluster = cluster;
    this.net = net;
    this.settings = settings;
    this.random = new Random(seed);
    this.clockMs = clockMs;
    this.kinds = new ArrayList<>(settings.kinds());
  }

  /** What the nemesis is doing now, for progress lines. */
  public String current() {
    return current;
  }

  /** The faults injected so far. */
  public List<Fault> faults() {
    synchronized (faults) {
      return List.copyOf(faults);
    }
  }

  /** Asks {@link #run} to heal the current fault now and return. */
  public void stop() {
    stopping = true;
  }

  /** Injects faults until {@code deadlineNanos} ({@link System#nanoTime()}) or {@link #stop()}. */
  public void run(long deadlineNanos) throws InterruptedException {
    while (!stopping && System.nanoTime() < deadlineNanos) {
      FaultKind kind = kinds.get(random.nextInt(kinds.size()));
      inject(kind, deadlineNanos);
      long quiet = between(settings.quietMinMs(), settings.quietMaxMs());
      current = "quiet";
      hold(quiet, deadlineNanos);
    }
    current = "done";
  }

  private void inject(FaultKind kind, long deadlineNanos) throws InterruptedException {
    int n = cluster.size();
    int minority = (n - 1) / 2;
    // Draw everything first, the same way for every kind, so that the schedule a seed gives does
    // not depend on what the cluster did.
    int randomMember = 1 + random.nextInt(n);
    int otherRank = random.nextInt(n - 1);
    List<Integer> shuffled = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      shuffled.add(i);
    }
    Collections.shuffle(shuffled, random);
    long holdShort = between(1200, 3000);
    long holdLong = between(1500, 5000);
    long delayMs = between(20, 300);
    long linkBits = random.nextLong();

    List<Integer> targets = new ArrayList<>();
    String detail = "";
    Heal heal;
    long hold;
    long start = clockMs.getAsLong();
    String error = "";
    try {
      switch (kind) {
        case KILL_MEMBER, KILL_LEADER, KILL_MINORITY -> {
          if (kind == FaultKind.KILL_MINORITY) {
            targets.addAll(shuffled.subList(0, minority));
          } else {
            targets.add(kind == FaultKind.KILL_LEADER ? leaderOr(randomMember) : randomMember);
          }
          for (int t : targets) {
            cluster.kill9(t);
          }
          hold = holdShort - 700;
          heal = () -> startAll(targets);
        }
        case PAUSE_LEADER, PAUSE_MINORITY -> {
          if (kind == FaultKind.PAUSE_MINORITY) {
            targets.addAll(shuffled.subList(0, minority));
          } else {
            targets.add(leaderOr(randomMember));
          }
          for (int t : targets) {
            cluster.pause(t);
          }
          hold = holdShort;
          heal =
              () -> {
                for (int t : targets) {
                  cluster.resume(t);
                }
              };
        }
        case PARTITION_LEADER,
            PARTITION_MEMBER,
            ISOLATE_FOLLOWER,
            PARTITION_ONE_WAY,
            DROP_MEMBER -> {
          int t =
              switch (kind) {
                case PARTITION_LEADER -> leaderOr(randomMember);
                case ISOLATE_FOLLOWER -> notLeader(otherRank);
                default -> randomMember;
              };
          targets.add(t);
          if (kind == FaultKind.PARTITION_ONE_WAY) {
            net.cutOutbound(t);
          } else if (kind == FaultKind.DROP_MEMBER) {
            net.drop(t);
          } else {
            net.isolate(t);
          }
          hold = holdLong;
          heal = net::heal;
        }
        case PARTITION_HALVES -> {
          Set<Integer> small = new TreeSet<>(shuffled.subList(0, Math.max(1, minority)));
          Set<Integer> large = new TreeSet<>(shuffled.subList(Math.max(1, minority), n));
          targets.addAll(small);
          detail = small + " | " + large;
          net.partition(List.of(small, large));
          hold = holdLong;
          heal = net::heal;
        }
        case DELAY_LINKS -> {
          List<Network.Link> links = new ArrayList<>();
          List<Network.Link> all = net.links();
          for (int i = 0; i < all.size(); i++) {
            if ((linkBits >>> i & 1) == 1) {
              links.add(all.get(i));
            }
          }
          if (links.isEmpty()) {
            links.addAll(all);
          }
          detail = delayMs + " ms on " + links;
          net.delay(links, delayMs);
          hold = holdLong;
          heal = net::heal;
        }
        case RESET_LINKS -> {
          net.resetAll();
          hold = 0;
          heal = () -> {};
        }
        case WIPE_MEMBER -> {
          int t = notLeader(otherRank);
          targets.add(t);
          if (cluster.awaitHealthy(RECOVERY_WAIT)) {
            cluster.wipe(t);
            hold = holdShort - 700;
            heal = () -> cluster.start(t);
          } else {
            // Losing a second copy of data that only two members hold would lose committed
            // writes for real: that is not a fault the store claims to survive.
            detail = "skipped: not every member had caught up";
            hold = 0;
            heal = () -> {};
          }
        }
        default -> throw new IllegalStateException("unknown fault " + kind);
      }
    } catch (Exception e) {
      error = "inject: " + e.getMessage();
      hold = 0;
      heal = () -> healAll();
    }
    Fault pending = new Fault(kind, List.copyOf(targets), detail, start, -1, -1, error);
    current = pending + " (" + hold + " ms)";
    hold(hold, Long.MAX_VALUE);
    try {
      heal.run();
    } catch (Exception e) {
      error = (error.isEmpty() ? "" : error + "; ") + "heal: " + e.getMessage();
      try {
        healAll();
      } catch (Exception again) {
        error += "; heal all: " + again.getMessage();
      }
    }
    long healed = clockMs.getAsLong();
    current = "recovering from " + pending;
    boolean recovered = cluster.awaitHealthy(RECOVERY_WAIT);
    long recoveredMs = recovered ? clockMs.getAsLong() - healed : -1;
    faults.add(new Fault(kind, List.copyOf(targets), detail, start, healed, recoveredMs, error));
  }

  /** Heals everything: every link passes, paused members resume, stopped members start. */
  public void healAll() throws Exception {
    net.heal();
    for (int i = 1; i <= cluster.size(); i++) {
      if (cluster.paused(i)) {
        cluster.resume(i);
      }
    }
    for (int i = 1; i <= cluster.size(); i++) {
      if (!cluster.running(i)) {
        cluster.start(i);
      }
    }
  }

  private void startAll(List<Integer> members) throws Exception {
    for (int t : members) {
      cluster.start(t);
    }
  }

  private int leaderOr(int fallback) {
    OptionalInt leader = cluster.leader();
    return leader.orElse(fallback);
  }

  /** The {@code rank}-th member (from 0) among those that do not lead. */
  private int notLeader(int rank) {
    int leader = cluster.leader().orElse(-1);
    List<Integer> others = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      if (i != leader) {
        others.add(i);
      }
    }
    return others.get(rank % others.size());
  }

  private long between(long min, long max) {
    return min + (long) (random.nextDouble() * (max - min));
  }

  /** Sleeps {@code ms}, cut short by {@link #stop()} or the deadline. */
  private void hold(long ms, long deadlineNanos) throws InterruptedException {
    long end = System.nanoTime() + ms * 1_000_000;
    while (!stopping && System.nanoTime() < Math.min(end, deadlineNanos)) {
      Thread.sleep(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000)));
    }
  }

  /** A step that undoes a fault. */
  @FunctionalInterface
  private interface Heal {
    void run() throws Exception;
  }
}
