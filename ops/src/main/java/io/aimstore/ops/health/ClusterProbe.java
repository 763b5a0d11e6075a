package io.aimstore.ops.health;

import io.aimstore.api.v1.Member;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.TlsFiles;
import io.aimstore.ops.cli.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks every member for its own status directly, once and in parallel, so that a dead or hung
 * member costs one timeout, not one per question; a refused connection is an answer at once.
 *
 * <p>A member is given {@code perMember} from the moment the first member answered: that answer
 * shows this process's own client is warm, so a member still silent then is slow, not this JVM.
 * When no member answers, the probe ends after {@code noAnswer}. Members that an answer names but
 * the endpoints do not include are asked next, the same way; an endpoint that reached a member
 * under another address (a Kubernetes Service) counts once, as that member.
 */
public final class ClusterProbe {
  private final Duration perMember;
  private final Duration noAnswer;
  private final TlsFiles tls;

  /**
   * @param perMember how long a member may take beyond the first answer
   * @param noAnswer how long to wait when no member answers at all
   * @param tls the TLS files to connect with; null for plaintext
   */
  public ClusterProbe(Duration perMember, Duration noAnswer, TlsFiles tls) {
    this.perMember = perMember;
    this.noAnswer = noAnswer;
    this.tls = tls;
  }

  /** Probes the cluster behind {@code endpoints}. */
  public ClusterHealth probe(List<String> endpoints) throws InterruptedException {
    Map<String, MemberProbe> byEndpoint = new LinkedHashMap<>();
    ask(endpoints).forEach(p -> byEndpoint.put(p.endpoint(), p));
    List<Member> named = ClusterHealth.named(List.copyOf(byEndpoint.values()));
    List<String> more = new ArrayList<>();
    for (Member m : named) {
      if (!byEndpoint.containsKey(m.getClientAddress())) {
        more.add(m.getClientAddress());
      }
    }
    if (!more.isEmpty()) {
      ask(more).forEach(p -> byEndpoint.put(p.endpoint(), p));
    }
    List<MemberProbe> all = new ArrayList<>();
    if (named.isEmpty()) {
      all.addAll(byEndpoint.values());
    } else {
      Set<String> names = new HashSet<>();
      for (Member m : named) {
        MemberProbe p = byEndpoint.remove(m.getClientAddress());
        all.add(new MemberProbe(m.getName(), m.getClientAddress(), p.status(), p.error()));
        names.add(m.getName());
      }
      for (MemberProbe p : byEndpoint.values()) {
        // an address that reached a member under another name (a Kubernetes Service, a load
        // balancer, localhost for 127.0.0.1) is that member, asked at its own address above
        if (!(p.answered() && names.contains(p.name()))) {
          all.add(p); // an endpoint that is no member of this cluster
        }
      }
    }
    return ClusterHealth.of(all);
  }

  private List<MemberProbe> ask(List<String> endpoints) throws InterruptedException {
    long start = System.nanoTime();
    Duration hardCap = noAnswer.plus(perMember);
    try (AimStoreClient client =
        AimStoreClient.builder()
            .endpoints(endpoints)
            .name("aimctl-status")
            .tls(tls)
            .requestTimeout(hardCap)
            .attemptTimeout(hardCap)
            .build()) {
      CountDownLatch firstAnswer = new CountDownLatch(1);
      List<CompletableFuture<StatusResponse>> calls = new ArrayList<>();
      for (String e : endpoints) {
        CompletableFuture<StatusResponse> f = client.cluster().statusAt(e, hardCap);
        f.thenRun(firstAnswer::countDown);
        calls.add(f);
      }
      CompletableFuture<Void> all =
          CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
      long waitNanos;
      if (firstAnswer.await(noAnswer.toNanos(), TimeUnit.NANOSECONDS)) {
        waitNanos = perMember.toNanos();
      } else {
        waitNanos = 0; // nobody answered within noAnswer: what is still open stays unanswered
      }
      try {
        all.get(waitNanos, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // each call is read below
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      List<MemberProbe> out = new ArrayList<>();
      for (int i = 0; i < endpoints.size(); i++) {
        String e = endpoints.get(i);
        CompletableFuture<StatusResponse> f = calls.get(i);
        if (!f.isDone()) {
          out.add(new MemberProbe(e, e, null, "no answer within " + Durations.format(waited)));
        } else if (f.isCompletedExceptionally()) {
          out.add(new MemberProbe(e, e, null, AimStoreException.from(failure(f)).description()));
        } else {
          StatusResponse s = f.join();
          out.add(new MemberProbe(s.getHeader().getMemberName(), e, s, null));
        }
      }
      return out;
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.join();
      return new IllegalStateException("not failed");
    } catch (RuntimeException e) {
      return e;
    }
  }
}
