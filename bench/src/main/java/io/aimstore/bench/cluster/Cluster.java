package io.aimstore.bench.cluster;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.Driver;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A 3-member cluster of one system on 127.0.0.1 that the bench starts, measures and stops. Each
 * instance is used once: {@link #start} on empty data, {@link #stop} deletes the data.
 *
 * <p>Fault workloads (failover after kill -9 of the leader, ghost-lock reclaim) will add member
 * control here (leader index, kill -9 of member I, restart); no workload needs it yet.
 */
public interface Cluster {
  SystemKind kind();

  /** Starts every member on fresh data; returns when the processes run (not necessarily serve). */
  void start() throws Exception;

  /** A new client connected to all members. */
  Driver connect() throws Exception;

  /** PIDs of the member processes now running (for CPU accounting). */
  List<Long> serverPids();

  /** Stops every member (by PID) and deletes the data. Idempotent; never throws. */
  void stop();

  /** Server version string for the report. */
  String version();

  /** Settings worth stating next to the numbers (durability, heap, ports). */
  Map<String, String> settings();

  /** Which member leads now, for the log ("n2"), if the system tells cheaply. */
  default Optional<String> leader() {
    return Optional.empty();
  }
}
