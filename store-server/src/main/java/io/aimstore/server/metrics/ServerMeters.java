package io.aimstore.server.metrics;

import io.aimstore.api.v1.AlarmType;
import io.aimstore.internal.RevokeReason;
import io.aimstore.server.core.Store;
import io.aimstore.server.raft.AimStateMachine;
import io.aimstore.server.raft.LessorMetrics;
import io.aimstore.server.raft.LockMetrics;
import io.aimstore.server.raft.RaftNode;
import io.aimstore.server.watch.WatchMetrics;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Every meter of a member, registered here and nowhere else. Names follow one rule: {@code
 * aimstore.<area>.<what>} with the area one of store, raft, apply, proposal, lease, lock, watch,
 * grpc, and a base unit where there is one (Prometheus then shows {@code
 * aimstore_lease_overdue_seconds}, counters end in {@code _total}). docs/operations.md lists them.
 * The layers below see only small interfaces ({@link LessorMetrics}, {@link LockMetrics}, {@link
 * WatchMetrics}) or functions.
 */
public final class ServerMeters {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Told the nanoseconds each log entry took to apply. */
  public LongConsumer applyTime() {
    Timer t =
        Timer.builder("aimstore.apply")
            .description("time to apply one log entry to the store (the serial section)")
            .publishPercentileHistogram()
            .register(registry);
    return n -> t.record(n, TimeUnit.NANOSECONDS);
  }

  /** Told the command count of each log entry this member proposes (group commit). */
  public IntConsumer proposalCommands() {
    DistributionSummary s =
        DistributionSummary.builder("aimstore.proposal.commands")
            .description("commands carried by each log entry this member proposed (group commit)")
            .baseUnit("commands")
            .publishPercentileHistogram()
            .register(registry);
    return s::record;
  }

  public LessorMetrics lessor() {
    Counter grants = counter("aimstore.lease.grants", "leases granted");
    Counter keepAlives = counter("aimstore.lease.keepalives", "keep-alives served by this leader");
    Map<RevokeReason, Counter> revokes = new EnumMap<>(RevokeReason.class);
    for (RevokeReason r : RevokeReason.values()) {
      if (r != RevokeReason.UNRECOGNIZED) {
        revokes.put(
            r,
            Counter.builder("aimstore.lease.revokes")
                .description("leases revoked, by reason (revoked by a client, expired, admin)")
                .tag("reason", r.name().toLowerCase(Locale.ROOT))
                .register(registry));
      }
    }
    return new LessorMetrics() {
      @Override
      public void granted() {
        grants.increment();
      }

      @Override
      public void keptAlive() {
        keepAlives.increment();
      }

      @Override
      public void revoked(RevokeReason reason) {
        Counter c = revokes.get(reason);
        if (c != null) {
          c.increment();
        }
      }
    };
  }

  public LockMetrics locks() {
    Counter acquisitions =
        counter("aimstore.lock.acquisitions", "locks granted through this member");
    Counter forced =
        counter("aimstore.lock.force.releases", "locks force-released through this member");
    Counter stale =
        counter(
            "aimstore.lock.stale.fence.rejections",
            "writes refused because their fencing token no longer held the lock");
    Timer wait =
        Timer.builder("aimstore.lock.wait")
            .description("time from an acquire request to the grant")
            .publishPercentileHistogram()
            .register(registry);
    return new LockMetrics() {
      @Override
      public void granted(long waitNanos) {
        acquisitions.increment();
        wait.record(waitNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void forceReleased() {
        forced.increment();
      }

      @Override
      public void staleFenceRejected() {
        stale.increment();
      }
    };
  }

  public WatchMetrics watch() {
    Counter events = counter("aimstore.watch.events", "events sent to watchers");
    Counter slow =
        counter(
            "aimstore.watch.slow",
            "times a watcher fell behind and was moved to catch-up from storage");
    Counter overflows =
        counter(
            "aimstore.watch.backlog.overflows",
            "times the watch dispatcher fell more than its backlog behind apply and every live"
                + " watcher caught up from storage");
    return new WatchMetrics() {
      @Override
      public void delivered(int n) {
        events.increment(n);
      }

      @Override
      public void slow() {
        slow.increment();
      }

      @Override
      public void backlogOverflowed() {
        overflows.increment();
      }
    };
  }

  /** Times every gRPC call by method and status code ({@code aimstore_grpc_server_seconds}). */
  public ServerInterceptor grpcTiming() {
    Map<String, Timer> timers = new ConcurrentHashMap<>();
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Timer.Sample sample = Timer.start(registry);
        return next.startCall(
            new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
              @Override
              public void close(Status status, Metadata trailers) {
                Status.Code code = status.getCode();
                sample.stop(
                    timers.computeIfAbsent(
                        method + ' ' + code,
                        k ->
                            Timer.builder("aimstore.grpc.server")
                                .description("gRPC calls served, by method and status")
                                .tag("method", method)
                                .tag("code", code.name())
                                .register(registry)));
                super.close(status, trailers);
              }
            },
            headers);
      }
    };
  }

  /** What the state gauges read. */
  public record GaugeSources(
      AimStateMachine stateMachine,
      RaftNode raft,
      Supplier<Number> leases,
      Supplier<Number> overdueLeaseSeconds,
      Supplier<Number> watchers,
      Supplier<Number> watchStreams,
      Supplier<Number> watchersCatchingUp,
      Supplier<Number> watchMaxLag) {}

  /** Registers the gauges of the member's state. */
  public void gauges(GaugeSources g) {
    AimStateMachine sm = g.stateMachine();
    RaftNode raft = g.raft();
    gauge(
        "aimstore.store.revision", "current store revision", null, () -> sm.read(Store::revision));
    gauge(
        "aimstore.store.compact.revision",
        "revision history is compacted to",
        null,
        () -> sm.read(Store::compactRevision));
    gauge(
        "aimstore.store.size",
        "keyspace data on disk and in memtables",
        "bytes",
        () -> sm.read(Store::sizeBytes));
    gauge(
        "aimstore.store.quota",
        "this member's storage quota (quota-backend-bytes; 0: none): past it, NOSPACE",
        "bytes",
        sm::quotaBytes);
    for (AlarmType type : List.of(AlarmType.NOSPACE, AlarmType.CORRUPT)) {
      Gauge.builder(
              "aimstore.alarm.active",
              () -> {
                try {
                  return sm.read(s -> s.alarms().isActive(type)) ? 1 : 0;
                } catch (RuntimeException e) {
                  return Double.NaN;
                }
              })
          .description(
              "1 while an alarm of this type is active for any member (replicated), 0 otherwise")
          .tag("alarm", type.name())
          .register(registry);
    }
    gauge("aimstore.raft.term", "current Raft term", null, raft::term);
    gauge("aimstore.raft.commit.index", "last committed log index", null, raft::commitIndex);
    gauge("aimstore.raft.applied.index", "last applied log index", null, raft::appliedIndex);
    gauge(
        "aimstore.raft.leader",
        "1 on the leader, 0 elsewhere",
        null,
        () -> raft.isLeader() ? 1 : 0);
    gauge(
        "aimstore.raft.snapshots.installed",
        "snapshots installed from a leader since start",
        null,
        sm::snapshotsInstalled);
    gauge("aimstore.lease.active", "leases that exist", null, g.leases());
    gauge(
        "aimstore.lease.overdue",
        "how long the most overdue lease is past its deadline without being revoked (ghost"
            + " gauge; stays near 0)",
        "seconds",
        g.overdueLeaseSeconds());
    gauge(
        "aimstore.lock.held",
        "locks with a holder",
        null,
        () -> sm.read(s -> s.lockCounts().held()));
    gauge(
        "aimstore.lock.waiting",
        "claims queued behind a holder",
        null,
        () -> sm.read(s -> s.lockCounts().waiting()));
    gauge("aimstore.watch.watchers", "watches open on this member", null, g.watchers());
    gauge("aimstore.watch.streams", "watch streams open on this member", null, g.watchStreams());
    gauge(
        "aimstore.watch.catching.up",
        "watchers reading history from storage (slow or started in the past)",
        null,
        g.watchersCatchingUp());
    gauge(
        "aimstore.watch.max.lag",
        "revisions the furthest-behind watcher has yet to receive",
        "revisions",
        g.watchMaxLag());
  }

  private Counter counter(String name, String help) {
    return Counter.builder(name).description(help).register(registry);
  }

  private void gauge(String name, String help, String unit, Supplier<Number> value) {
    Gauge.builder(
            name,
            () -> {
              try {
                return value.get();
              } catch (RuntimeException e) {
                return Double.NaN;
              }
            })
        .description(help)
        .baseUnit(unit)
        .register(registry);
  }
}
