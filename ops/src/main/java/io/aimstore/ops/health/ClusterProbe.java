package io.aimstore.ops.health;

import io.aimstore.api.v1.Member;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Asks every member for its own status directly and in parallel, each with a short timeout, so that
 * a dead or hung member costs one timeout, not one per question. The endpoints are asked first;
 * members their answers name that are not among them are asked next, within what is left of the
 * budget.
 */
public final class ClusterProbe {
  private final Duration perMember;
  private final Duration budget;

  /**
   * @param perMember how long one member may take to answer
   * @param budget how long the whole probe may take
   */
  public ClusterProbe(Duration perMember, Duration budget) {
    this.perMember = perMember;
    this.budget = budget;
  }

  /** Probes the cluster behind {@code endpoints}. */
  public ClusterHealth probe(List<String> endpoints) {
    long start = System.nanoTime();
    Map<String, MemberProbe> byEndpoint = new LinkedHashMap<>();
    ask(endpoints, perMember).forEach(p -> byEndpoint.put(p.endpoint(), p));
    List<MemberProbe> first = new ArrayList<>(byEndpoint.values());
    List<Member> named = ClusterHealth.named(first);
    List<String> more = new ArrayList<>();
    for (Member m : named) {
      if (!byEndpoint.containsKey(m.getClientAddress())) {
        more.add(m.getClientAddress());
      }
    }
    Duration left = budget.minus(Duration.ofNanos(System.nanoTime() - start));
    if (!more.isEmpty()) {
      Duration t = left.compareTo(perMember) < 0 ? left : perMember;
      if (t.toMillis() >= 100) {
        ask(more, t).forEach(p -> byEndpoint.put(p.endpoint(), p));
      } else {
        more.forEach(e -> byEndpoint.put(e, new MemberProbe(e, e, null, "not asked: out of time")));
      }
    }
    List<MemberProbe> all = new ArrayList<>();
    if (named.isEmpty()) {
      all.addAll(byEndpoint.values());
    } else {
      for (Member m : named) {
        MemberProbe p = byEndpoint.remove(m.getClientAddress());
        all.add(new MemberProbe(m.getName(), m.getClientAddress(), p.status(), p.error()));
      }
      all.addAll(byEndpoint.values()); // endpoints that are no member of this cluster
    }
    return ClusterHealth.of(all);
  }

  private static List<MemberProbe> ask(List<String> endpoints, Duration timeout) {
    List<AimStoreClient> clients = new ArrayList<>();
    List<CompletableFuture<MemberProbe>> calls = new ArrayList<>();
    try {
      for (String e : endpoints) {
        AimStoreClient c =
            AimStoreClient.builder()
                .endpoints(e)
                .name("aimctl-status")
                .requestTimeout(timeout)
                .attemptTimeout(timeout)
                .build();
        clients.add(c);
        calls.add(
            c.cluster()
                .status("")
                .handle(
                    (s, err) ->
                        err == null
                            ? new MemberProbe(s.getHeader().getMemberName(), e, s, null)
                            : new MemberProbe(
                                e, e, null, AimStoreException.from(err).description())));
      }
      return calls.stream().map(CompletableFuture::join).toList();
    } finally {
      clients.forEach(AimStoreClient::close);
    }
  }
}
