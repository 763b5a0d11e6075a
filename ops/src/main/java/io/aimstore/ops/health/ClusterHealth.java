package io.aimstore.ops.health;

import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.ops.ExitCodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A verdict on a cluster from its members' answers: HEALTHY (every member answers and follows the
 * same leader, caught up), DEGRADED (a quorum follows one leader, but some member does not answer,
 * has no leader, another one, or lags), NO_QUORUM (no leader that a majority of members follows:
 * writes and linearizable reads fail). Each member that is not fine gets a one-line reason.
 *
 * @param verdict the cluster's state
 * @param leader the leader a quorum follows, if any
 * @param members every member probed, in configuration order
 * @param problems one line per member that is not fine, keyed by member name
 * @param size the number of voting members the cluster is configured with
 */
public record ClusterHealth(
    Verdict verdict,
    Optional<String> leader,
    List<MemberProbe> members,
    Map<String, String> problems,
    int size) {

  /** A member that has applied all but this many committed entries is caught up (as /readyz). */
  public static final long LAG = 100;

  /** The cluster's state, with the exit code {@code aimctl status} gives it. */
  public enum Verdict {
    HEALTHY(ExitCodes.OK),
    DEGRADED(ExitCodes.DEGRADED),
    NO_QUORUM(ExitCodes.NO_QUORUM);

    private final int exitCode;

    Verdict(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  /**
   * Judges the cluster from {@code probes}; its size is the member list a member reported (or the
   * number of probes when none answered).
   */
  public static ClusterHealth of(List<MemberProbe> probes) {
    int size =
        probes.stream()
            .filter(MemberProbe::answered)
            .map(p -> p.status().getMembersCount())
            .filter(n -> n > 0)
            .findFirst()
            .orElse(probes.size());
    Map<String, Integer> followers = new LinkedHashMap<>();
    for (MemberProbe p : probes) {
      if (p.answered() && !p.status().getLeaderName().isEmpty()) {
        followers.merge(p.status().getLeaderName(), 1, Integer::sum);
      }
    }
    int majority = size / 2 + 1;
    Optional<String> leader =
        followers.entrySet().stream()
            .filter(e -> e.getValue() >= majority)
            .map(Map.Entry::getKey)
            .findFirst();
    Map<String, String> problems = new LinkedHashMap<>();
    for (MemberProbe p : probes) {
      String problem = problem(p, leader);
      if (problem != null) {
        problems.put(p.name(), problem);
      }
    }
    Verdict v =
        leader.isEmpty()
            ? Verdict.NO_QUORUM
            : problems.isEmpty() && probes.size() >= size ? Verdict.HEALTHY : Verdict.DEGRADED;
    return new ClusterHealth(v, leader, List.copyOf(probes), problems, size);
  }

  private static String problem(MemberProbe p, Optional<String> leader) {
    if (!p.answered()) {
      return "unreachable: " + p.error();
    }
    StatusResponse s = p.status();
    if (!s.getHalted().isEmpty()) {
      return "halted: " + s.getHalted();
    }
    if (s.getLeaderName().isEmpty()) {
      return "knows no leader (" + s.getRole() + ", term " + s.getRaftTerm() + ")";
    }
    if (leader.isPresent() && !leader.get().equals(s.getLeaderName())) {
      return "follows " + s.getLeaderName() + ", not " + leader.get();
    }
    long lag = s.getRaftCommitIndex() - s.getRaftAppliedIndex();
    if (lag > LAG) {
      return "catching up: " + lag + " committed entries not applied yet";
    }
    return null;
  }

  /** The members a member's status names, for probing those not among the endpoints. */
  public static List<Member> named(List<MemberProbe> probes) {
    List<Member> out = new ArrayList<>();
    probes.stream()
        .filter(MemberProbe::answered)
        .findFirst()
        .ifPresent(p -> out.addAll(p.status().getMembersList()));
    return out;
  }

  /**
   * One line: "healthy: 3 of 3 members serve, leader n1", "no quorum: 1 of 3 members answer; ...".
   */
  public String summary() {
    long serving =
        members.stream().filter(m -> m.answered() && !problems.containsKey(m.name())).count();
    long answering = members.stream().filter(MemberProbe::answered).count();
    String who = serving + " of " + size + " members serve";
    return switch (verdict) {
      case HEALTHY -> "healthy: " + who + ", leader " + leader.orElseThrow();
      case DEGRADED -> "degraded: " + who + ", leader " + leader.orElseThrow();
      case NO_QUORUM ->
          "no quorum: "
              + answering
              + " of "
              + size
              + " members answer; no leader that a majority follows (writes and linearizable"
              + " reads fail)";
    };
  }
}
