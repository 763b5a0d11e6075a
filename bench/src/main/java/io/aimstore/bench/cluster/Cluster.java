package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.Driver;
import io.aimstore.client.TlsFiles;
import io.aimstore.testkit.Commands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A 3-member cluster of one system on 127.0.0.1 that the bench starts, measures and stops. Each
 * instance is used once: {@link #start} on empty data, {@link #stop} deletes the data.
 *
 * <p>Members are numbered 1..{@link #members()}. The member-control methods serve the fault and
 * footprint workloads: find the leader, kill -9 one member and start it again on its data, stop and
 * start all members.
 */
public interface Cluster {
  SystemKind kind();

  /** Starts every member on fresh data; returns when the processes run (not necessarily serve). */
  void start() throws Exception;

  /** A new client connected to all members. */
  Driver connect() throws Exception;

  /** PIDs of the member processes now running (for CPU accounting). */
  default List<Long> serverPids() {
    List<Long> alive = new ArrayList<>();
    for (int i = 1; i <= members(); i++) {
      memberPid(i).ifPresent(alive::add);
    }
    return alive;
  }

  /** Stops every member (by PID) and deletes the data. Idempotent; never throws. */
  void stop();

  /** Server version string for the report. */
  String version();

  /** Settings worth stating next to the numbers (durability, heap, ports). */
  Map<String, String> settings();

  /** Which member leads now, for the log ("n2"), if the system tells cheaply. */
  default Optional<String> leader() {
    OptionalInt m = leaderMember();
    return m.isPresent() ? Optional.of("n" + m.getAsInt()) : Optional.empty();
  }

  default int members() {
    return 3;
  }

  /** The address clients use for member {@code member}: {@code 127.0.0.1:PORT}. */
  String clientAddress(int member);

  /** The files a client proves itself with (aimstore's secure clusters); null for the others. */
  default TlsFiles tls() {
    return null;
  }

  /** A new client connected to member {@code member} only. */
  Driver connect(int member) throws Exception;

  /** The member that leads now, asked of the members themselves; empty when none says so. */
  OptionalInt leaderMember();

  /** Sends SIGKILL to member {@code member} and returns once the process is gone. */
  void kill9(int member) throws Exception;

  /** Starts member {@code member} (stopped or killed) again on its data. */
  void startMember(int member) throws Exception;

  /** Stops every member (SIGTERM to all at once, SIGKILL after a grace period); keeps the data. */
  void stopMembers();

  /** Starts every member on its existing data, all at once; returns when the processes run. */
  void startMembers() throws Exception;

  /** The running process of member {@code member}. */
  OptionalLong memberPid(int member);

  /** Member {@code member}'s data directory. */
  Path dataDir(int member);

  /** Whether the members are JVMs. */
  default boolean jvm() {
    return kind().jvm();
  }

  /** The members' client ports, "FIRST-LAST", for the report. */
  default String clientPorts() {
    String first = clientAddress(1);
    String last = clientAddress(members());
    return first.substring(first.lastIndexOf(':') + 1)
        + "-"
        + last.substring(last.lastIndexOf(':') + 1);
  }

  /**
   * Forces a full garbage collection in member {@code member} and returns its live heap in KiB
   * (JVM: {@code jcmd PID GC.run} then {@code GC.heap_info}; etcd: its pprof endpoint's forced GC,
   * then {@code go_memstats_heap_alloc_bytes}), or -1 when it cannot be had.
   */
  default long liveHeapKib(int member) {
    if (!jvm()) {
      return -1;
    }
    OptionalLong pid = memberPid(member);
    return pid.isPresent() ? Commands.liveHeapKib(pid.getAsLong()) : -1;
  }
}
