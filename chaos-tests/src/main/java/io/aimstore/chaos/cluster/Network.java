package io.aimstore.chaos.cluster;

import io.aimstore.testkit.PortPlan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Raft network of a chaos cluster: one {@link LinkProxy} per directed link between members
 * (n(n-1) of them), through which every member reaches every other one (a {@link
 * io.aimstore.testkit.ProcessCluster} with proxied Raft). Members are numbered from 1.
 */
public final class Network implements AutoCloseable {

  /** A directed link: member {@code from} dialing member {@code to}. */
  public record Link(int from, int to) {
    @Override
    public String toString() {
      return "n" + from + "->n" + to;
    }
  }

  private final int size;
  private final Map<Link, LinkProxy> proxies = new LinkedHashMap<>();

  /**
   * Starts the proxies: the link i → j listens on {@code portOf(i, j)} and forwards to {@code
   * raftPort(j)}.
   */
  public Network(int size, PortPlan ports) throws IOException {
    this.size = size;
    try {
      for (int from = 1; from <= size; from++) {
        for (int to = 1; to <= size; to++) {
          if (from != to) {
            Link link = new Link(from, to);
            proxies.put(
                link, new LinkProxy(link.toString(), ports.proxy(from, to), ports.raft(to)));
          }
        }
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  public Collection<LinkProxy> proxies() {
    return proxies.values();
  }

  public LinkProxy proxy(Link link) {
    return proxies.get(link);
  }

  /** Every directed link. */
  public List<Link> links() {
    return new ArrayList<>(proxies.keySet());
  }

  /**
   * Cuts the network into {@code sides}: links between members on different sides become
   * blackholes, links within a side pass. Members on no side are alone.
   */
  public void partition(List<Set<Integer>> sides) {
    for (Map.Entry<Link, LinkProxy> e : proxies.entrySet()) {
      if (sideOf(e.getKey().from(), sides) == sideOf(e.getKey().to(), sides)) {
        e.getValue().pass();
      } else {
        e.getValue().blackhole();
      }
    }
  }

  /** Cuts {@code member} off from every other member. */
  public void isolate(int member) {
    Set<Integer> rest = new TreeSet<>();
    for (int i = 1; i <= size; i++) {
      if (i != member) {
        rest.add(i);
      }
    }
    partition(List.of(Set.of(member), rest));
  }

  /** Blackholes the links {@code member} dials out on; the links into it keep passing. */
  public void cutOutbound(int member) {
    proxies.forEach(
        (link, p) -> {
          if (link.from() == member) {
            p.blackhole();
          } else {
            p.pass();
          }
        });
  }

  /** Drops (refuses and resets) every link to and from {@code member}. */
  public void drop(int member) {
    proxies.forEach(
        (link, p) -> {
          if (link.from() == member || link.to() == member) {
            p.drop();
          }
        });
  }

  /** Delays {@code links} by {@code ms}. */
  public void delay(Collection<Link> links, long ms) {
    for (Link link : links) {
      proxies.get(link).delay(ms);
    }
  }

  /** Resets every current connection on every link. */
  public void resetAll() {
    proxies.values().forEach(LinkProxy::reset);
  }

  /** Every link passes again. */
  public void heal() {
    proxies.values().forEach(LinkProxy::pass);
  }

  /** The links not passing, e.g. {@code n1->n2:BLACKHOLE}, for progress lines. */
  public String describe() {
    List<String> out = new ArrayList<>();
    proxies.forEach(
        (link, p) -> {
          if (p.mode() != LinkProxy.Mode.PASS) {
            out.add(link + ":" + p.mode());
          }
        });
    return out.isEmpty() ? "all links pass" : String.join(" ", out);
  }

  private static int sideOf(int member, List<Set<Integer>> sides) {
    for (int i = 0; i < sides.size(); i++) {
      if (sides.get(i).contains(member)) {
        return i;
      }
    }
    return -1 - member;
  }

  @Override
  public void close() {
    proxies.values().forEach(LinkProxy::close);
  }
}
