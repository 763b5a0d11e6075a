package io.aimstore.server;

import io.aimstore.server.api.ClusterService;
import io.aimstore.server.api.ClusterView;
import io.aimstore.server.api.ConfigService;
import io.aimstore.server.api.Failpoints;
import io.aimstore.server.api.Headers;
import io.aimstore.server.api.KvService;
import io.aimstore.server.api.LeaderHintInterceptor;
import io.aimstore.server.api.LeaderRouter;
import io.aimstore.server.api.LeaseService;
import io.aimstore.server.api.LockService;
import io.aimstore.server.api.LockWaiters;
import io.aimstore.server.api.MemberEndpoints;
import io.aimstore.server.api.PeerChannels;
import io.aimstore.server.api.ProposalBatcher;
import io.aimstore.server.api.Reads;
import io.aimstore.server.api.RolloutService;
import io.aimstore.server.api.WatchService;
import io.aimstore.server.api.Writes;
import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.Limits;
import io.aimstore.server.core.RequestValidator;
import io.aimstore.server.core.Store;
import io.aimstore.server.metrics.GrpcMetricsInterceptor;
import io.aimstore.server.metrics.HealthCheck;
import io.aimstore.server.metrics.MetricsEndpoint;
import io.aimstore.server.metrics.MicrometerLessorMetrics;
import io.aimstore.server.metrics.MicrometerWatchMetrics;
import io.aimstore.server.metrics.ProcessMeters;
import io.aimstore.server.raft.AimStateMachine;
import io.aimstore.server.raft.ApplyListener;
import io.aimstore.server.raft.Lessor;
import io.aimstore.server.raft.LessorSettings;
import io.aimstore.server.raft.RaftNode;
import io.aimstore.server.raft.RolloutTimer;
import io.aimstore.server.watch.WatchHub;
import io.aimstore.server.watch.WatchSettings;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One aimstore member: storage, Raft, the client gRPC API and the metrics endpoint, wired. */
public final class AimstoreNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AimstoreNode.class);

  /** Commands per log entry under group commit. */
  private static final int BATCH_COMMANDS = 256;

  /** Bytes per log entry under group commit (one larger command still goes alone). */
  private static final int BATCH_BYTES = 2 * 1024 * 1024;

  /** Entries proposed and not yet answered. */
  private static final int PROPOSALS_IN_FLIGHT = 4;

  /** A member is ready when it has applied all but this many committed entries. */
  private static final long READY_LAG = 100;

  private final NodeConfig config;
  private final DataDirectory dataDir;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AimStateMachine stateMachine;
  private final RaftNode raft;
  private final PeerChannels peers;
  private final ExecutorService readExecutor;
  private final Server grpc;
  private final MetricsEndpoint metrics;
  private final ProcessMeters processMeters;
  private final Lessor lessor;
  private final WatchHub watchHub;
  private final ScheduledExecutorService timers;

  private AimstoreNode(NodeConfig config, DataDirectory dataDir) throws IOException {
    this.config = config;
    this.dataDir = dataDir;
    Limits limits = Limits.DEFAULT;
    Timer applyTimer =
        Timer.builder("aimstore.apply")
            .description("time to apply one log entry to the store (the serial section)")
            .publishPercentileHistogram()
            .register(registry);
    this.stateMachine =
        new AimStateMachine(
            dataDir.kv(),
            config.storage(),
            limits,
            n -> applyTimer.record(n, TimeUnit.NANOSECONDS));
    Map<String, String> raftAddresses = new LinkedHashMap<>();
    config.members().forEach((name, m) -> raftAddresses.put(name, m.raft()));
    this.raft =
        new RaftNode(
            config.cluster(),
            config.name(),
            raftAddresses,
            dataDir.raft(),
            stateMachine,
            config.raft());
    ClusterView cluster = new ClusterView(config.cluster(), config.name(), config.members());
    this.peers = new PeerChannels(cluster);
    Headers headers = new Headers(cluster, raft);
    RequestValidator validator = new RequestValidator(limits);
    ProposalBatcher batcher =
        new ProposalBatcher(
            raft::propose,
            PROPOSALS_IN_FLIGHT,
            BATCH_COMMANDS,
            BATCH_BYTES,
            DistributionSummary.builder("aimstore.proposal.commands")
                    .description(
                        "commands carried by each log entry this member proposed (group commit)")
                    .publishPercentileHistogram()
                    .register(registry)
                ::record);
    Failpoints failpoints = Failpoints.fromEnvironment();
    Counter staleFences =
        Counter.builder("aimstore.lock.stale.fence.rejections")
            .description("writes refused because their fencing token no longer held the lock")
            .register(registry);
    Writes writes =
        new Writes(batcher, stateMachine, Clock.systemUTC(), failpoints, staleFences::increment);
    this.readExecutor = Executors.newFixedThreadPool(4, named("read"));
    this.lessor =
        new Lessor(
            System::nanoTime,
            writes::submit,
            LessorSettings.forElectionTimeout(config.raft().electionTimeoutMax()),
            new MicrometerLessorMetrics(registry));
    stateMachine.addApplyListener(lessor);
    stateMachine.addLeadershipListener(lessor);
    LeaderRouter router = new LeaderRouter(raft, peers);
    LockWaiters lockWaiters = new LockWaiters(stateMachine, readExecutor);
    stateMachine.addApplyListener(lockWaiters);
    this.watchHub =
        new WatchHub(
            (from, key, end, max) -> stateMachine.read(st -> st.history(from, key, end, max)),
            0,
            headers::at,
            WatchSettings.DEFAULT,
            new MicrometerWatchMetrics(registry));
    stateMachine.addApplyListener(
        new ApplyListener() {
          @Override
          public void onApplied(long index, ApplyResult result) {
            watchHub.publish(result.events());
          }

          @Override
          public void onReset(Store store) {
            watchHub.reset(store.revision());
          }
        });

    raft.start();
    this.timers = Executors.newSingleThreadScheduledExecutor(named("lessor"));
    long tick = LessorSettings.DEFAULT.checkInterval().toMillis();
    timers.scheduleWithFixedDelay(this::tickLessor, tick, tick, TimeUnit.MILLISECONDS);

    MemberEndpoints self = config.self();
    Reads reads = new Reads(raft, readExecutor);
    KvService kv = new KvService(writes, validator, headers, reads, failpoints);
    RolloutTimer rolloutTimer =
        new RolloutTimer(stateMachine, raft::isLeader, System::currentTimeMillis, writes::submit);
    timers.scheduleWithFixedDelay(
        () -> {
          try {
            rolloutTimer.tick();
          } catch (RuntimeException e) {
            LOG.debug("event=rollout_tick_failed error={}", e.toString());
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    List<BindableService> services =
        List.of(
            kv,
            new ClusterService(cluster, raft, headers, peers),
            new LeaseService(writes, validator, headers, lessor, router, reads),
            new WatchService(watchHub, validator, headers),
            new LockService(
                raft, writes, validator, headers, lessor, router, lockWaiters, reads, registry),
            new ConfigService(kv, writes, headers),
            new RolloutService(writes, headers, reads));
    NettyServerBuilder server =
        NettyServerBuilder.forAddress(socket(self.client()))
            .maxInboundMessageSize(4 * 1024 * 1024)
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            // Handlers never block (writes queue for group commit, reads hop to the read pool),
            // so they run on the event loop instead of paying a thread hand-off per call.
            .directExecutor();
    GrpcMetricsInterceptor timing = new GrpcMetricsInterceptor(registry);
    LeaderHintInterceptor leaderHint = new LeaderHintInterceptor(raft, cluster);
    for (BindableService service : services) {
      server.addService(ServerInterceptors.intercept(service, timing, leaderHint));
    }
    this.grpc = server.build().start();
    registerGauges();
    this.processMeters = ProcessMeters.bindTo(registry);
    this.metrics =
        new MetricsEndpoint(socket(self.metrics()), registry, this::health, this::readiness);
    LOG.info(
        "event=member_started cluster={} member={} client={} raft={} metrics={} data_dir={}",
        config.cluster(),
        config.name(),
        self.client(),
        self.raft(),
        self.metrics(),
        config.dataDir());
  }

  /** Starts a member; fails with a clear message on a bad or foreign data directory. */
  public static AimstoreNode start(NodeConfig config) throws ConfigException, IOException {
    DataDirectory dir = DataDirectory.open(config.dataDir(), config.cluster(), config.name());
    try {
      return new AimstoreNode(config, dir);
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  public RaftNode raft() {
    return raft;
  }

  public Lessor lessor() {
    return lessor;
  }

  private void tickLessor() {
    try {
      lessor.tick();
    } catch (RuntimeException e) {
      LOG.warn("event=lessor_tick_failed error={}", e.toString());
    }
  }

  public NodeConfig config() {
    return config;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  HealthCheck health() {
    return grpc.isShutdown()
        ? HealthCheck.failing("client API stopped")
        : HealthCheck.ok("serving");
  }

  HealthCheck readiness() {
    try {
      String leader = raft.leader().orElse(null);
      if (leader == null) {
        return HealthCheck.failing("no leader known (election in progress or no quorum)");
      }
      long lag = raft.commitIndex() - raft.appliedIndex();
      if (lag > READY_LAG) {
        return HealthCheck.failing("catching up: " + lag + " committed entries not applied yet");
      }
      return HealthCheck.ok("leader=" + leader + " role=" + raft.role());
    } catch (RuntimeException e) {
      return HealthCheck.failing(e.getMessage());
    }
  }

  private void registerGauges() {
    gauge(
        "aimstore.revision", "current store revision", () -> stateMachine.read(s -> s.revision()));
    gauge(
        "aimstore.compact.revision",
        "revision history is compacted to",
        () -> stateMachine.read(s -> s.compactRevision()));
    gauge(
        "aimstore.db.size",
        "bytes of keyspace data on disk and in memtables",
        () -> stateMachine.read(s -> s.sizeBytes()));
    gauge("aimstore.raft.term", "current Raft term", raft::term);
    gauge("aimstore.raft.commit.index", "last committed log index", raft::commitIndex);
    gauge("aimstore.raft.applied.index", "last applied log index", raft::appliedIndex);
    gauge(
        "aimstore.snapshots.installed",
        "snapshots installed from a leader since start",
        stateMachine::snapshotsInstalled);
    gauge("aimstore.leases.active", "leases that exist", lessor::count);
    gauge(
        "aimstore.lease.overdue.seconds",
        "how long the most overdue lease is past its deadline without being revoked (ghost gauge; stays near 0)",
        lessor::overdueSeconds);
    gauge("aimstore.watch.watchers", "watches open on this member", watchHub::watcherCount);
    gauge("aimstore.watch.streams", "watch streams open on this member", watchHub::streamCount);
    gauge(
        "aimstore.watch.catching.up",
        "watchers reading history from storage (slow or started in the past)",
        watchHub::catchingUpCount);
    gauge(
        "aimstore.watch.max.lag.revisions",
        "revisions the furthest-behind watcher has yet to receive",
        watchHub::maxLag);
    gauge(
        "aimstore.locks.held",
        "locks with a holder",
        () ->
            stateMachine.read(
                st -> st.locks("").stream().filter(l -> l.record().getHolderToken() != 0).count()));
    gauge(
        "aimstore.locks.waiters",
        "claims queued behind a holder",
        () ->
            stateMachine.read(
                st ->
                    st.locks("").stream()
                        .mapToLong(
                            l ->
                                Math.max(
                                    0,
                                    l.claims().size() - (l.record().getHolderToken() != 0 ? 1 : 0)))
                        .sum()));
    gauge("aimstore.raft.leader", "1 on the leader, 0 elsewhere", () -> raft.isLeader() ? 1 : 0);
  }

  private void gauge(String name, String help, Supplier<Number> value) {
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
        .register(registry);
  }

  private static InetSocketAddress socket(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    LOG.info("event=member_stopping member={}", config.name());
    metrics.close();
    processMeters.close();
    timers.shutdownNow();
    grpc.shutdownNow();
    watchHub.close();
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    peers.close();
    try {
      raft.close();
    } catch (IOException e) {
      LOG.warn("event=raft_close_failed error={}", e.toString());
    }
    readExecutor.shutdownNow();
    try {
      dataDir.close();
    } catch (IOException e) {
      LOG.warn("event=data_dir_unlock_failed error={}", e.toString());
    }
  }
}
