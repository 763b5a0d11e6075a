package io.aimstore.chaos.run;

import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.chaos.nemesis.FaultKind;
import io.aimstore.testkit.BuildSnapshot;
import io.aimstore.testkit.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code chaos-tests/run}: a chaos run from the command line, or a re-check of a saved one. Exit
 * status 0 when every checker passed, 1 on a violation or an unknown linearizability verdict, 2
 * when the run itself broke, 64 on bad usage.
 */
public final class ChaosMain {

  private static final String USAGE =
      """
      usage: chaos-tests/run [--minutes N] [--seed S] [--members 3|5] [--base-port P]
                             [--faults KIND,...] [--failpoints NAME,...] [--keep] [--runs DIR]
             chaos-tests/run --profile short|stale-reads|ack-before-commit [--seed S] ...
             chaos-tests/run --recheck RUN_DIR [--budget-seconds N]

        --minutes N       minutes of faults (default 5); a progress line every 10 s
        --seed S          seed of every random choice (default: random, printed)
        --members 3|5     cluster size (default 3)
        --base-port P     member I: client P+I, Raft P+10+I, metrics P+20+I; proxies P+100+10I+J
                          (default: a free base between 20000 and 31800, printed)
        --faults LIST     fault kinds to draw from (default: all): %s
        --failpoints LIST server failpoints to switch on (test only): stale-reads, ack-before-commit
        --keep            keep history, logs and data of a run that passed (a failing run's are
                          always kept)
        --runs DIR        where run directories go (default chaos-tests/runs)
        --recheck DIR     run the checkers again on a saved run's files
      """;

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    double minutes = 5;
    Long seed = null;
    int members = 3;
    int basePort = 0;
    Set<FaultKind> kinds = null;
    String failpoints = null;
    boolean keep = false;
    Path runs = null;
    Path recheck = null;
    String profileName = null;
    long budgetSeconds = 0;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--minutes" -> minutes = Double.parseDouble(args[++i]);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--members" -> members = Integer.parseInt(args[++i]);
          case "--base-port" -> basePort = Integer.parseInt(args[++i]);
          case "--faults" -> {
            kinds = EnumSet.noneOf(FaultKind.class);
            for (String k : args[++i].split(",")) {
              kinds.add(FaultKind.ofLabel(k.strip()));
            }
          }
          case "--failpoints" -> failpoints = args[++i];
          case "--keep" -> keep = true;
          case "--runs" -> runs = Path.of(args[++i]);
          case "--recheck" -> recheck = Path.of(args[++i]);
          case "--profile" -> profileName = args[++i];
          case "--budget-seconds" -> budgetSeconds = Long.parseLong(args[++i]);
          case "-h", "--help" -> {
            System.out.print(usage());
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      if (members != 3 && members != 5) {
        throw new IllegalArgumentException("--members must be 3 or 5");
      }
    } catch (RuntimeException e) {
      System.err.println("chaos: " + e.getMessage());
      System.err.print(usage());
      return 64;
    }
    if (recheck != null) {
      return recheck(recheck, budgetSeconds);
    }
    Profile profile =
        switch (profileName == null ? "long" : profileName) {
          case "long" -> Profile.longRun(minutes);
          case "short" -> Profile.quick();
          case "stale-reads" -> Profile.staleReads();
          case "ack-before-commit" -> Profile.ackBeforeCommit();
          default -> {
            System.err.println("chaos: unknown profile " + profileName);
            yield null;
          }
        };
    if (profile == null) {
      return 64;
    }
    Profile.Builder chosen = profile.toBuilder().size(members);
    if (kinds != null) {
      chosen.kinds(kinds);
    }
    if (failpoints != null) {
      chosen.failpoints(failpoints);
    }
    if (budgetSeconds > 0) {
      chosen.checkBudget(Duration.ofSeconds(budgetSeconds));
    }
    profile = chosen.build();
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1L << 48);
    Path runsDir = runs != null ? runs : BuildSnapshot.repoRoot().resolve("chaos-tests/runs");
    RunResult result =
        ChaosRun.run(new ChaosRun.Options(profile, s, basePort, runsDir, keep), System.out);
    return result.exitCode();
  }

  private static String usage() {
    return USAGE.formatted(
        String.join(", ", EnumSet.allOf(FaultKind.class).stream().map(FaultKind::label).toList()));
  }

  /** Checks a saved run again and prints its closing line. */
  static int recheck(Path dir, long budgetSeconds) throws Exception {
    Evidence evidence = Evidence.load(dir);
    long seed = 0;
    int faults = 0;
    long fenced = evidence.fenced().size();
    long budget = budgetSeconds > 0 ? budgetSeconds : 300;
    Path reportFile = dir.resolve("report.json");
    if (Files.exists(reportFile)) {
      Map<?, ?> report = (Map<?, ?>) Json.parse(Files.readString(reportFile));
      seed = (Long) report.get("seed");
      faults = ((List<?>) report.get("faults")).size();
      Map<?, ?> ops = (Map<?, ?>) report.get("ops");
      fenced = (Long) ops.get("fenced_attempts");
    }
    System.out.println(
        "chaos: re-checking "
            + dir
            + ": "
            + evidence.history().operations().size()
            + " register operations, "
            + evidence.watches().size()
            + " watchers, "
            + evidence.fenced().size()
            + " accepted fenced writes");
    Evidence.Findings f = evidence.check(Duration.ofSeconds(budget), List.of());
    if (f.linearizability().verdict() != Verdict.LINEARIZABLE) {
      System.out.println("linearizability: " + f.linearizability().verdict());
      System.out.println(f.linearizability().explanation());
    }
    f.lost().forEach(l -> System.out.println("LOST " + l));
    f.watch().forEach(v -> System.out.println("WATCH " + v));
    f.lock().forEach(v -> System.out.println("LOCK " + v));
    System.out.println("checker times (ms): " + f.checkMillis());
    RunResult result =
        RunResult.checked(seed, evidence.history().operations().size() + fenced, faults, f, dir);
    System.out.println(result.closingLine());
    return result.exitCode();
  }
}
