package io.aimstore.server;

import io.aimstore.api.v1.AlarmType;
import io.aimstore.server.api.AddedMembers;
import io.aimstore.server.api.AuthService;
import io.aimstore.server.api.Calls;
import io.aimstore.server.api.ClusterService;
import io.aimstore.server.api.ClusterVersionMonitor;
import io.aimstore.server.api.ClusterView;
import io.aimstore.server.api.ConfigService;
import io.aimstore.server.api.CorruptionCheck;
import io.aimstore.server.api.FaultInjection;
import io.aimstore.server.api.Guard;
import io.aimstore.server.api.Headers;
import io.aimstore.server.api.IdentityInterceptor;
import io.aimstore.server.api.KvService;
import io.aimstore.server.api.LeaderHintInterceptor;
import io.aimstore.server.api.LeaderRouter;
import io.aimstore.server.api.LeaseService;
import io.aimstore.server.api.LocalReads;
import io.aimstore.server.api.LockService;
import io.aimstore.server.api.MaintenanceService;
import io.aimstore.server.api.MemberEndpoints;
import io.aimstore.server.api.PeerChannels;
import io.aimstore.server.api.ProposedWrites;
import io.aimstore.server.api.Reads;
import io.aimstore.server.api.RolloutService;
import io.aimstore.server.api.WatchService;
import io.aimstore.server.api.Writes;
import io.aimstore.server.api.etcd.EtcdApi;
import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.Limits;
import io.aimstore.server.core.RequestValidator;
import io.aimstore.server.core.Store;
import io.aimstore.server.metrics.HealthCheck;
import io.aimstore.server.metrics.MetricsEndpoint;
import io.aimstore.server.metrics.ProcessMeters;
import io.aimstore.server.metrics.ServerMeters;
import io.aimstore.server.raft.AimStateMachine;
import io.aimstore.server.raft.Alarms;
import io.aimstore.server.raft.ApplyListener;
import io.aimstore.server.raft.ClusterVersion;
import io.aimstore.server.raft.CommandProposer;
import io.aimstore.server.raft.FormatVersion;
import io.aimstore.server.raft.Lessor;
import io.aimstore.server.raft.LessorSettings;
import io.aimstore.server.raft.ListenerPromoter;
import io.aimstore.server.raft.LockKeeper;
import io.aimstore.server.raft.LockMetrics;
import io.aimstore.server.raft.ProposalBatcher;
import io.aimstore.server.raft.QuotaMonitor;
import io.aimstore.server.raft.RaftNode;
import io.aimstore.server.raft.RaftTls;
import io.aimstore.server.raft.RolloutTimer;
import io.aimstore.server.threads.DaemonThreads;
import io.aimstore.server.watch.WatchHub;
import io.aimstore.server.watch.WatchSettings;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /**
   * How long a member's answer about the format versions it applies counts (asked every second).
   */
  private static final Duration VERSION_ANSWER_VALID = Duration.ofSeconds(3);

  /** How long a member may take to hash its keyspace for the leader's check. */
  private static final Duration HASH_TIMEOUT = Duration.ofSeconds(30);

  /** A member is ready when it has applied all but this many committed entries. */
  private static final long READY_LAG = 100;

  private final NodeConfig config;
  private final DataDirectory dataDir;
  private final ServerMeters meters = new ServerMeters();
  private final AimStateMachine stateMachine;
  private final RaftNode raft;
  private final PeerChannels peers;
  private final ExecutorService readExecutor;

  /** Streams backups (one at a time: see MaintenanceService). */
  private final ExecutorService snapshotExecutor =
      Executors.newSingleThreadExecutor(DaemonThreads.numbered("snapshot"));

  private final Server grpc;
  private final MetricsEndpoint metrics;
  private final ProcessMeters processMeters;
  private final Lessor lessor;
  private final WatchHub watchHub;
  private final ScheduledExecutorService timers;

  /** The quota check: its own thread, as reclaiming space blocks while RocksDB compacts. */
  private final ScheduledExecutorService quotaTimer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("quota"));

  private final MemberTls tls;
  private final Alarms alarms;

  /**
   * Runs the leader's keyspace hash checks (they wait on other members: not on {@link #timers}).
   */
  private final ScheduledExecutorService checks =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("corruption-check"));

  private final CorruptionCheck corruptionCheck;
  private final AtomicBoolean raftStopped = new AtomicBoolean();

  private AimstoreNode(
      NodeConfig config, DataDirectory dataDir, Clock clock, MemberTls tls, int maxFormatVersion)
      throws IOException {
    this.config = config;
    this.dataDir = dataDir;
    this.tls = tls;
    Limits limits = Limits.DEFAULT;
    this.stateMachine =
        new AimStateMachine(
            dataDir.kv(),
            config.storage(),
            limits,
            meters.applyTime(),
            clock::millis,
            new ClusterVersion(
                config.name(), maxFormatVersion, System::nanoTime, VERSION_ANSWER_VALID));
    Map<String, String> raftAddresses = new LinkedHashMap<>();
    config.members().forEach((name, m) -> raftAddresses.put(name, m.raft()));
    String clusterKey = dataDir.clusterKey(config.cluster());
    this.raft =
        new RaftNode(
            clusterKey,
            config.name(),
            raftAddresses,
            dataDir.raft(),
            stateMachine,
            config.raft(),
            tls == null ? null : new RaftTls(tls.keyManager(), tls.clientVerifier()),
            config.join());
    AddedMembers addedMembers = new AddedMembers(stateMachine);
    stateMachine.addApplyListener(addedMembers);
    ClusterView cluster =
        new ClusterView(clusterKey, config.name(), config.members(), addedMembers);
    this.peers = new PeerChannels(cluster, tls == null ? null : tls.peerCallContext());
    Headers headers = new Headers(cluster, raft);
    RequestValidator validator = new RequestValidator(limits);
    ProposalBatcher batcher =
        new ProposalBatcher(
            raft::propose,
            PROPOSALS_IN_FLIGHT,
            BATCH_COMMANDS,
            BATCH_BYTES,
            meters.proposalCommands());
    LockMetrics lockMetrics = meters.locks();
    FaultInjection faults = FaultInjection.load();
    CommandProposer proposer =
        new CommandProposer(batcher, stateMachine, lockMetrics::staleFenceRejected);
    Guard guard = new Guard(stateMachine);
    this.alarms = new Alarms(stateMachine, proposer::submit);
    Writes writes = faults.writes(new ProposedWrites(proposer, guard));
    this.readExecutor = Executors.newFixedThreadPool(4, DaemonThreads.numbered("read"));
    this.lessor =
        new Lessor(
            System::nanoTime,
            proposer::submit,
            LessorSettings.forElectionTimeout(config.raft().electionTimeoutMax()),
            meters.lessor());
    stateMachine.addApplyListener(lessor);
    stateMachine.addLeadershipListener(lessor);
    LeaderRouter router = new LeaderRouter(raft, peers);
    LockKeeper locks = new LockKeeper(proposer, stateMachine, lessor, readExecutor, lockMetrics);
    stateMachine.addApplyListener(locks);
    this.watchHub =
        new WatchHub(
            (from, key, end, max) -> stateMachine.read(st -> st.history(from, key, end, max)),
            0,
            headers::at,
            WatchSettings.DEFAULT,
            meters.watch());
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

    try {
      raft.start();
    } catch (IOException | RuntimeException e) {
      raft.close(); // a damaged snapshot stops the start here: nothing else runs yet
      throw e;
    }
    this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("lessor"));
    long tick = LessorSettings.DEFAULT.checkInterval().toMillis();
    timers.scheduleWithFixedDelay(this::tickLessor, tick, tick, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(this::stopRaftIfHalted, 1, 1, TimeUnit.SECONDS);

    MemberEndpoints self = config.self();
    Reads reads = faults.reads(new LocalReads(raft, readExecutor));
    Calls calls = new Calls(writes, reads, headers, validator, guard, router);
    KvService kv = new KvService(calls);
    RolloutTimer rolloutTimer =
        new RolloutTimer(stateMachine, raft::isLeader, clock::millis, proposer::submit);
    everySecond(rolloutTimer::tick, "rollout_tick_failed");
    MaintenanceService maintenance =
        new MaintenanceService(
            writes,
            guard,
            headers,
            raft,
            cluster,
            config.cluster(),
            dataDir.exports(),
            snapshotExecutor,
            readExecutor,
            clock::millis);
    this.corruptionCheck =
        new CorruptionCheck(
            raft, peers, maintenance, this::raiseCorruptAlarm, clock::millis, HASH_TIMEOUT);
    Duration checkEvery = config.corruptionCheckInterval();
    if (!checkEvery.isZero()) {
      checks.scheduleWithFixedDelay(
          this::checkCorruption,
          checkEvery.toMillis(),
          checkEvery.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    QuotaMonitor quota =
        new QuotaMonitor(config.name(), config.storage().quotaBackendBytes(), stateMachine, alarms);
    quotaTimer.scheduleWithFixedDelay(
        () -> {
          try {
            quota.tick();
          } catch (RuntimeException e) {
            LOG.warn("event=quota_check_failed error={}", e.toString());
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    ClusterService clusterService =
        new ClusterService(calls, cluster, raft, peers, addedMembers, corruptionCheck::last);
    ListenerPromoter promoter =
        new ListenerPromoter(raft, addedMembers::autoPromote, proposer::submit);
    everySecond(promoter::tick, "promoter_tick_failed");
    ClusterVersionMonitor versionMonitor =
        new ClusterVersionMonitor(raft, cluster, peers, Duration.ofMillis(500));
    everySecond(
        () -> {
          try {
            versionMonitor.tick();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        "cluster_version_tick_failed");
    LeaseService leaseService = new LeaseService(calls, lessor);
    WatchService watchService = new WatchService(calls, watchHub);
    LockService lockService = new LockService(calls, locks, config.security().maxQuarantine());
    List<BindableService> services = new ArrayList<>();
    services.addAll(
        List.of(
            kv,
            clusterService,
            leaseService,
            watchService,
            lockService,
            new ConfigService(calls, kv),
            new RolloutService(calls),
            new AuthService(calls),
            maintenance));
    // etcd's v3 API beside aimstore's, served by the same services (docs/api.md)
    services.addAll(
        EtcdApi.services(
            kv, watchService, leaseService, lockService, clusterService, reads, headers, limits));
    NettyServerBuilder server =
        NettyServerBuilder.forAddress(socket(self.client()))
            .maxInboundMessageSize(4 * 1024 * 1024)
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            // Handlers never block (writes queue for group commit, reads hop to the read pool),
            // so they run on the event loop instead of paying a thread hand-off per call.
            .directExecutor();
    if (tls != null) {
      server.sslContext(tls.clientApiContext());
    }
    ServerInterceptor timing = meters.grpcTiming();
    LeaderHintInterceptor leaderHint = new LeaderHintInterceptor(raft, cluster);
    // the last interceptor runs first: timing wraps everything, identity sits next to the handler
    IdentityInterceptor identity = new IdentityInterceptor(config.security().insecure());
    for (BindableService service : services) {
      server.addService(ServerInterceptors.intercept(service, identity, leaderHint, timing));
    }
    this.grpc = server.build().start();
    meters.gauges(
        new ServerMeters.GaugeSources(
            stateMachine,
            raft,
            lessor::count,
            lessor::overdueSeconds,
            watchHub::watcherCount,
            watchHub::streamCount,
            watchHub::catchingUpCount,
            watchHub::maxLag));
    this.processMeters = ProcessMeters.bindTo(meters.registry());
    this.metrics =
        new MetricsEndpoint(
            socket(self.metrics()),
            meters.registry(),
            this::health,
            this::readiness,
            tls == null || isLoopback(self.metrics()) ? null : tls.httpsContext());
    LOG.info(
        "event=member_started cluster={} member={} client={} raft={} metrics={} data_dir={}"
            + " security={}",
        config.cluster(),
        config.name(),
        self.client(),
        self.raft(),
        self.metrics(),
        config.dataDir(),
        tls == null ? "INSECURE" : "mtls identity=" + tls.identity());
  }

  private static boolean isLoopback(String hostPort) {
    return socket(hostPort).getAddress() != null
        && socket(hostPort).getAddress().isLoopbackAddress();
  }

  /** Starts a member; fails with a clear message on a bad or foreign data directory. */
  public static AimstoreNode start(NodeConfig config) throws ConfigException, IOException {
    return start(config, Clock.systemUTC());
  }

  /**
   * Starts a member whose wall clock is {@code clock}: the time it stamps on the entries it appends
   * while it leads, and by which it proposes rollout ticks (tests skew it).
   */
  public static AimstoreNode start(NodeConfig config, Clock clock)
      throws ConfigException, IOException {
    return start(config, clock, FormatVersion.CURRENT);
  }

  /**
   * Tests only: starts a member that claims to apply log-entry format versions up to {@code
   * maxFormatVersion} instead of this build's {@link FormatVersion#CURRENT}, to play a member of an
   * older or newer release in a rolling upgrade (there is no setting for it: a member's maximum is
   * its build's).
   */
  public static AimstoreNode start(NodeConfig config, Clock clock, int maxFormatVersion)
      throws ConfigException, IOException {
    MemberTls tls = null;
    if (config.security().insecure()) {
      LOG.warn(
          "event=INSECURE_MODE member={} — plaintext on every port and NO AUTHENTICATION: any"
              + " process that can reach this member may do anything. Development only.",
          config.name());
    } else {
      tls = MemberTls.load(config.security(), clock);
    }
    DataDirectory dir;
    try {
      dir =
          DataDirectory.open(
              config.dataDir(), config.cluster(), config.name(), config.clusterToken());
    } catch (ConfigException | RuntimeException e) {
      if (tls != null) {
        tls.close();
      }
      throw e;
    }
    try {
      return new AimstoreNode(config, dir, clock, tls, maxFormatVersion);
    } catch (IOException | RuntimeException e) {
      dir.close();
      if (tls != null) {
        tls.close();
      }
      throw e;
    }
  }

  public RaftNode raft() {
    return raft;
  }

  public Lessor lessor() {
    return lessor;
  }

  /** The leader's keyspace hash check (runs every {@code corruption-check-interval}). */
  public CorruptionCheck corruptionCheck() {
    return corruptionCheck;
  }

  /** The CORRUPT alarm on {@code memberB}, raised through the log (every member shows it). */
  private void raiseCorruptAlarm(String memberA, String memberB, long revision) {
    alarms
        .raise(
            AlarmType.CORRUPT,
            memberB,
            "keyspace hash at revision " + revision + " differs from " + memberA + "'s")
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                LOG.warn(
                    "event=corrupt_alarm_not_raised member={} revision={} error={}",
                    memberB,
                    revision,
                    e.toString());
              }
            });
  }

  private void checkCorruption() {
    try {
      corruptionCheck.run();
    } catch (RuntimeException e) {
      LOG.warn("event=corruption_check_failed error={}", e.toString());
    }
  }

  /** Raises and clears this cluster's alarms through the log (the corruption check, tests). */
  public Alarms alarms() {
    return alarms;
  }

  /** Runs {@code tick} on the timers every second; a failure is logged (debug) as {@code event}. */
  private void everySecond(Runnable tick, String event) {
    timers.scheduleWithFixedDelay(
        () -> {
          try {
            tick.run();
          } catch (RuntimeException e) {
            LOG.debug("event={} error={}", event, e.toString());
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  private void tickLessor() {
    try {
      lessor.tick();
    } catch (RuntimeException e) {
      LOG.warn("event=lessor_tick_failed error={}", e.toString());
    }
  }

  /**
   * A halted member (see {@link AimStateMachine#halted}) stops its Raft server: to the others it is
   * a member that is down, and its log does not fill with refusals of the leader's appends. Its
   * client API stays up, so that its status says why.
   */
  private void stopRaftIfHalted() {
    if (stateMachine.halted().isEmpty() || !raftStopped.compareAndSet(false, true)) {
      return;
    }
    LOG.error(
        "event=member_halted member={} reason=\"{}\"; its Raft server stops, its status says why",
        config.name(),
        stateMachine.halted().get().reason());
    Thread stop =
        new Thread(
            () -> {
              try {
                raft.close();
              } catch (IOException | RuntimeException e) {
                LOG.warn("event=raft_close_failed error={}", e.toString());
              }
            },
            "halt");
    stop.setDaemon(true);
    stop.start();
  }

  public NodeConfig config() {
    return config;
  }

  public PrometheusMeterRegistry registry() {
    return meters.registry();
  }

  HealthCheck health() {
    if (grpc.isShutdown()) {
      return HealthCheck.failing("client API stopped");
    }
    if (!raft.isRunning()) {
      return HealthCheck.failing(
          "Raft server stopped (see the log: e.g. disk full); restart this member once the cause"
              + " is fixed (docs/operations.md#full-disk)");
    }
    return HealthCheck.ok("serving");
  }

  HealthCheck readiness() {
    try {
      String leader = raft.leader().orElse(null);
      if (leader == null) {
        return HealthCheck.failing("no leader known (election in progress or no quorum)");
      }
      if (stateMachine.halted().isPresent()) {
        return HealthCheck.failing("halted: " + stateMachine.halted().get().reason());
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

  private static InetSocketAddress socket(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  @Override
  public void close() {
    LOG.info("event=member_stopping member={}", config.name());
    metrics.close();
    processMeters.close();
    timers.shutdownNow();
    checks.shutdownNow();
    quotaTimer.shutdownNow();
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
    snapshotExecutor.shutdownNow();
    if (tls != null) {
      tls.close();
    }
    try {
      dataDir.close();
    } catch (IOException e) {
      LOG.warn("event=data_dir_unlock_failed error={}", e.toString());
    }
  }
}
