package io.aimstore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ports of a cluster on 127.0.0.1, from one base, as {@code ops/bin/aimstore-cluster} lays them
 * out: member I serves clients on BASE+I, Raft on BASE+10+I and metrics on BASE+20+I; a proxy of
 * the directed Raft link I → J (the chaos suite's) listens on BASE+100+10·I+J.
 *
 * <p>{@link #free} picks a base whose ports nothing listens on, at random among {@link #FIRST_BASE}
 * .. {@link #LAST_BASE} (below Linux's ephemeral range, so outgoing connections do not take them
 * later), so that two runs on one machine do not collide; an explicit base is a plain {@code new
 * PortPlan(base)}.
 */
public record PortPlan(int base) {
  /** Ports from the base a cluster of up to 9 members can use, proxies included. */
  public static final int SPAN = 200;

  static final int FIRST_BASE = 20_000;
  static final int LAST_BASE = 32_000 - SPAN;
  private static final int ATTEMPTS = 50;

  public int client(int member) {
    return base + member;
  }

  public int raft(int member) {
    return base + 10 + member;
  }

  public int metrics(int member) {
    return base + 20 + member;
  }

  public int proxy(int from, int to) {
    return base + 100 + 10 * from + to;
  }

  /** {@code 127.0.0.1:PORT} of member {@code member}'s client port. */
  public String clientAddress(int member) {
    return "127.0.0.1:" + client(member);
  }

  /** The client, Raft and metrics ports of {@code size} members. */
  public List<Integer> members(int size) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      ports.addAll(List.of(client(i), raft(i), metrics(i)));
    }
    return ports;
  }

  /** Every port a cluster of {@code size} members uses, the proxies of its Raft links included. */
  public List<Integer> all(int size) {
    List<Integer> ports = members(size);
    for (int i = 1; i <= size; i++) {
      for (int j = 1; j <= size; j++) {
        if (i != j) {
          ports.add(proxy(i, j));
        }
      }
    }
    return ports;
  }

  /** A plan whose {@link #SPAN} ports are free now. */
  public static PortPlan free() {
    return free(SPAN);
  }

  /**
   * A plan whose ports {@code base .. base+span-1} are free now, the base drawn at random (a
   * multiple of 10).
   *
   * @throws IllegalStateException if no such base turns up in 50 draws
   */
  public static PortPlan free(int span) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int base = FIRST_BASE + 10 * random.nextInt((LAST_BASE - FIRST_BASE) / 10 + 1);
      List<Integer> range = new ArrayList<>();
      for (int p = base; p < base + span; p++) {
        range.add(p);
      }
      if (busy(range).isEmpty()) {
        return new PortPlan(base);
      }
    }
    throw new IllegalStateException(
        "no free range of " + span + " ports between " + FIRST_BASE + " and " + LAST_BASE);
  }

  /** The ports of {@code ports} that something on 127.0.0.1 already listens on. */
  public static List<Integer> busy(Collection<Integer> ports) {
    List<Integer> busy = new ArrayList<>();
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        busy.add(port);
      }
    }
    return busy;
  }

  /**
   * Fails, naming {@code what} and the ports, if one of {@code ports} is taken (e.g. by a leftover
   * run).
   */
  public static void requireFree(String what, Collection<Integer> ports) {
    List<Integer> busy = busy(ports);
    if (!busy.isEmpty()) {
      throw new UncheckedIOException(
          new IOException(
              what
                  + ": ports "
                  + busy
                  + " on 127.0.0.1 are in use (a leftover cluster? see 'ss -ltnp'); choose"
                  + " another --base-port, or none to get a free one"));
    }
  }
}
