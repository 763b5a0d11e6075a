package io.aimstore.testkit;

import io.aimstore.client.AimStoreClient;
import io.aimstore.client.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The members of one aimstore cluster under test, numbered 1..{@link #size()} (named n1, n2, ...),
 * serving on 127.0.0.1. A test written against this interface runs on both kinds: {@link
 * InProcessCluster} (members in the test's JVM: fast, and their internals at hand) and {@link
 * ProcessCluster} (members as real server processes started by {@code ops/bin/aimstore-cluster}:
 * real {@code kill -9} and SIGSTOP).
 *
 * <p>Methods fail with unchecked exceptions: {@link java.io.UncheckedIOException} when a member
 * cannot be started or signalled, {@link IllegalStateException} when a wait runs out.
 */
public interface Cluster extends AutoCloseable {

  /** Members in the cluster. */
  int size();

  /** Starts every member and returns once one of them leads. */
  Cluster start();

  /** Starts member {@code member} (stopped, killed or wiped) on what its data directory holds. */
  void start(int member);

  /** Stops member {@code member} the polite way (its process ends cleanly); keeps its data. */
  void stop(int member);

  /**
   * Kills member {@code member} without warning; keeps its data. A process gets SIGKILL; a member
   * in this JVM cannot be killed and is stopped instead (what it wrote is on disk either way).
   */
  void kill9(int member);

  /**
   * Freezes member {@code member} (SIGSTOP): its connections stay open, it answers nothing.
   *
   * @throws UnsupportedOperationException for a member in this JVM
   */
  void pause(int member);

  /** Thaws a {@link #pause paused} member (SIGCONT). */
  void resume(int member);

  /** Kills member {@code member} and deletes its data; {@link #start(int)} brings it back empty. */
  void wipe(int member);

  /** Whether member {@code member} runs (paused counts as running). */
  boolean running(int member);

  /** The member that leads now, as the members say; empty if none does. */
  OptionalInt leader();

  /** The leader, waiting up to {@code limit} for one; empty if none turned up. */
  OptionalInt awaitLeader(Duration limit);

  /**
   * The leader, waiting up to 30 s for one.
   *
   * @throws IllegalStateException if there is none by then
   */
  default int awaitLeader() {
    return awaitLeader(Duration.ofSeconds(30))
        .orElseThrow(() -> new IllegalStateException("no leader within 30 s"));
  }

  /** {@code 127.0.0.1:PORT}, where member {@code member} serves clients. */
  String endpoint(int member);

  /** Every member's client address, member 1 first. */
  default List<String> endpoints() {
    return endpointsFrom(1);
  }

  /** Every member's client address, starting with member {@code first}, then in ring order. */
  default List<String> endpointsFrom(int first) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < size(); k++) {
      out.add(endpoint((first - 1 + k) % size() + 1));
    }
    return out;
  }

  /** A client of {@code endpoints} (20 s per request, 3 s per attempt), closed with the cluster. */
  AimStoreClient client(List<String> endpoints);

  /**
   * The files an admin client connects with (the operator's certificate, {@code
   * spiffe://aimstore/operator/admin}); null when the members run insecure. Clients built outside
   * {@link #client} need them too: {@code AimStoreClient.builder().tls(cluster.tls())}.
   */
  TlsFiles tls();

  /** A client of every member. */
  default AimStoreClient client() {
    return client(endpoints());
  }

  /** A client of member {@code member} only. */
  default AimStoreClient clientOf(int member) {
    return client(List.of(endpoint(member)));
  }

  /** A client of every member that tries them in {@code order} first, then the others. */
  default AimStoreClient clientPreferring(int... order) {
    List<String> endpoints = new ArrayList<>();
    for (int i : order) {
      endpoints.add(endpoint(i));
    }
    for (String e : endpoints()) {
      if (!endpoints.contains(e)) {
        endpoints.add(e);
      }
    }
    return client(endpoints);
  }

  /** Member {@code member}'s data directory. */
  Path dataDir(int member);

  /** Closes the clients and ends every member. */
  @Override
  void close();
}
