package io.aimstore.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.AuditListRequest;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.AuthGrpc;
import io.aimstore.api.v1.Binding;
import io.aimstore.api.v1.BindingPutRequest;
import io.aimstore.api.v1.CompactionRequest;
import io.aimstore.api.v1.ConfigGetRequest;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.ConfigsGrpc;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.Grant;
import io.aimstore.api.v1.HoldRequest;
import io.aimstore.api.v1.KVGrpc;
import io.aimstore.api.v1.LeaseAdoptRequest;
import io.aimstore.api.v1.LeaseGrantRequest;
import io.aimstore.api.v1.LeaseGrpc;
import io.aimstore.api.v1.LeaseKeepAliveRequest;
import io.aimstore.api.v1.LeaseKeepAliveResponse;
import io.aimstore.api.v1.LeaseRevokeRequest;
import io.aimstore.api.v1.LeaseTimeToLiveRequest;
import io.aimstore.api.v1.LockAcquireRequest;
import io.aimstore.api.v1.LockGrpc;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.Role;
import io.aimstore.api.v1.RolePutRequest;
import io.aimstore.api.v1.RolloutsGrpc;
import io.aimstore.api.v1.SafetyThresholds;
import io.aimstore.api.v1.UnquarantineRequest;
import io.aimstore.api.v1.UpdateWindow;
import io.aimstore.api.v1.WhoAmIRequest;
import io.aimstore.certs.ClusterCertificates;
import io.aimstore.testkit.InProcessCluster;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster in its secure default: mutual TLS on every port, identities from certificates, roles by
 * key prefix, leases owned by the identity that granted them, admin actions bounded and audited.
 * Raw gRPC stubs, so every refusal is seen as the wire carries it.
 */
class SecureClusterIT {
  static final String DRONE7 = "spiffe://aimstore/fleet/fleet-1/drone/drone-7";
  static final String OPERATOR = "spiffe://aimstore/operator/admin";

  @TempDir static Path dir;
  static InProcessCluster cluster;
  static ManagedChannel operator;
  static ManagedChannel drone7;
  static ManagedChannel ci;
  static final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = new InProcessCluster(dir, 3).secure();
    cluster.start();
    cluster.awaitLeader();
    ClusterCertificates certs = cluster.certs();
    operator = channel(certs.operator("admin", Duration.ofDays(1)));
    drone7 = channel(certs.drone("fleet-1", "drone-7", Duration.ofDays(1)));
    ci = channel(certs.client("ci", null, Duration.ofDays(1)));
  }

  @AfterAll
  static void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (cluster != null) {
      cluster.close();
    }
  }

  static ManagedChannel channel(Path crt) throws Exception {
    SslContextBuilder tls =
        GrpcSslContexts.forClient()
            .trustManager(cluster.certs().dir().resolve("ca.crt").toFile())
            .keyManager(crt.toFile(), ClusterCertificates.keyOf(crt).toFile());
    ManagedChannel c =
        NettyChannelBuilder.forTarget(cluster.endpoint(1)).sslContext(tls.build()).build();
    channels.add(c);
    return c;
  }

  /** Puts {@code key} = {@code value} as whoever {@code c} authenticates. */
  static PutResponse put(ManagedChannel c, String key, String value) {
    return kv(c).put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build());
  }

  static KVGrpc.KVBlockingStub kv(ManagedChannel c) {
    return KVGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static Owner owner(String name) {
    return Owner.newBuilder().setName(name).setHost("test").setPid(1).build();
  }

  static long lease(ManagedChannel c) {
    return LeaseGrpc.newBlockingStub(c)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .grant(LeaseGrantRequest.newBuilder().setTtl(60).setOwner(owner("t")).build())
        .getId();
  }

  static StatusRuntimeException denied(Runnable call) {
    StatusRuntimeException e =
        (StatusRuntimeException) org.assertj.core.api.Assertions.catchThrowable(call::run);
    assertThat(e).as("expected a refusal").isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    return e;
  }

  static AimConfig config() {
    return AimConfig.newBuilder()
        .setSchemaVersion(1)
        .setSensitivity(5)
        .setSafety(
            SafetyThresholds.newBuilder()
                .setMinAltitudeM(10)
                .setMaxAltitudeM(100)
                .setMaxSpeedMps(10)
                .setGeofenceRadiusM(500)
                .setMinBatteryPct(40))
        .setUpdateWindow(UpdateWindow.newBuilder().setStartMinuteUtc(0).setDurationMinutes(30))
        .build();
  }

  @Test
  void plaintextAndCertificateLessConnectionsGetNothingAndMetricsStayOnLoopback() throws Exception {
    for (String address : List.of(cluster.endpoint(1), cluster.node(1).config().self().raft())) {
      ManagedChannel plain = NettyChannelBuilder.forTarget(address).usePlaintext().build();
      channels.add(plain);
      assertThatThrownBy(() -> kv(plain).range(RangeRequest.newBuilder().setKey(bs("/x")).build()))
          .isInstanceOf(StatusRuntimeException.class)
          .satisfies(
              e ->
                  assertThat(((StatusRuntimeException) e).getStatus().getCode())
                      .isEqualTo(Status.Code.UNAVAILABLE));
    }
    ManagedChannel noCert =
        NettyChannelBuilder.forTarget(cluster.endpoint(1))
            .sslContext(
                GrpcSslContexts.forClient()
                    .trustManager(cluster.certs().dir().resolve("ca.crt").toFile())
                    .build())
            .build();
    channels.add(noCert);
    assertThatThrownBy(() -> kv(noCert).range(RangeRequest.newBuilder().setKey(bs("/x")).build()))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(cluster.node(1).config().self().metrics()).startsWith("127.0.0.1:");
  }

  @Test
  void aDroneReadsItsFleetsConfigsAndWritesOnlyItsOwnPresence() {
    ConfigsGrpc.newBlockingStub(operator)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .put(
            ConfigPutRequest.newBuilder()
                .setFleet("fleet-1")
                .setName("aim")
                .setConfig(config())
                .build());
    assertThat(
            ConfigsGrpc.newBlockingStub(drone7)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .get(ConfigGetRequest.newBuilder().setFleet("fleet-1").setName("aim").build())
                .getConfig()
                .getConfig())
        .isEqualTo(config());
    ByteString configKey = bs("/aim/fleet-1/configs/aim");
    assertThat(kv(drone7).range(RangeRequest.newBuilder().setKey(configKey).build()).getKvsCount())
        .isEqualTo(1);
    long lease = lease(drone7);
    kv(drone7)
        .put(
            PutRequest.newBuilder()
                .setKey(bs("/aim/fleet-1/drones/drone-7/presence"))
                .setValue(bs("up"))
                .setLease(lease)
                .build());
    StatusRuntimeException e =
        denied(() -> put(drone7, "/aim/fleet-1/drones/drone-8/presence", "up"));
    assertThat(e.getStatus().getDescription())
        .contains(DRONE7)
        .contains("may not write")
        .contains("/aim/fleet-1/drones/drone-8/presence");
    denied(
        () ->
            kv(drone7)
                .range(RangeRequest.newBuilder().setKey(bs("/aim/fleet-2/configs/aim")).build()));
    denied(
        () ->
            kv(drone7)
                .deleteRange(
                    DeleteRangeRequest.newBuilder()
                        .setKey(ByteString.EMPTY)
                        .setRangeEnd(KeyRanges.ALL_FROM_KEY)
                        .build()));
  }

  @Test
  void aDroneMayNotForceReleaseNorKeepAliveReviveOrRevokeAnotherIdentitysLease() throws Exception {
    long opLease = lease(operator);
    LockGrpc.newBlockingStub(operator)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .acquire(
            LockAcquireRequest.newBuilder()
                .setName("aim_lock_config.conf")
                .setLease(opLease)
                .build());
    StatusRuntimeException force =
        denied(
            () ->
                LockGrpc.newBlockingStub(drone7)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .forceRelease(
                        ForceReleaseRequest.newBuilder()
                            .setName("aim_lock_config.conf")
                            .setReason("mine now")
                            .build()));
    assertThat(force.getStatus().getDescription()).contains(DRONE7).contains("admin");

    CompletableFuture<Throwable> keepAlive = new CompletableFuture<>();
    StreamObserver<LeaseKeepAliveRequest> stream =
        LeaseGrpc.newStub(drone7)
            .keepAlive(
                new StreamObserver<>() {
                  @Override
                  public void onNext(LeaseKeepAliveResponse r) {
                    keepAlive.complete(null);
                  }

                  @Override
                  public void onError(Throwable t) {
                    keepAlive.complete(t);
                  }

                  @Override
                  public void onCompleted() {
                    keepAlive.complete(null);
                  }
                });
    stream.onNext(LeaseKeepAliveRequest.newBuilder().setId(opLease).build());
    Throwable t = keepAlive.get(10, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(StatusRuntimeException.class);
    assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(Status.fromThrowable(t).getDescription())
        .contains(DRONE7)
        .contains("keep lease " + opLease + " alive")
        .contains(OPERATOR);
    denied(
        () ->
            LeaseGrpc.newBlockingStub(drone7)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .adopt(
                    LeaseAdoptRequest.newBuilder()
                        .setId(opLease)
                        .setOwner(owner("thief"))
                        .build()));
    denied(
        () ->
            LeaseGrpc.newBlockingStub(drone7)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .revoke(LeaseRevokeRequest.newBuilder().setId(opLease).build()));
    assertThat(
            LeaseGrpc.newBlockingStub(operator)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .timeToLive(LeaseTimeToLiveRequest.newBuilder().setId(opLease).build())
                .getLease()
                .getIdentity())
        .isEqualTo(OPERATOR);
  }

  @Test
  void adminActionsAreBoundedAndEachIsAuditedWithTheVerifiedIdentity() {
    LockGrpc.LockBlockingStub locks =
        LockGrpc.newBlockingStub(operator).withDeadlineAfter(10, TimeUnit.SECONDS);
    long lease = lease(operator);
    locks.acquire(LockAcquireRequest.newBuilder().setName("audited").setLease(lease).build());
    StatusRuntimeException tooLong =
        (StatusRuntimeException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    locks.forceRelease(
                        ForceReleaseRequest.newBuilder()
                            .setName("audited")
                            .setReason("stale")
                            .setQuarantineMs(Duration.ofHours(87600).toMillis())
                            .build()));
    assertThat(tooLong.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(tooLong.getStatus().getDescription()).contains("1 h");
    locks.forceRelease(
        ForceReleaseRequest.newBuilder()
            .setName("audited")
            .setReason("stale after crash")
            .setOperator("anyone")
            .setQuarantineMs(60_000)
            .build());
    locks.unquarantine(
        UnquarantineRequest.newBuilder().setName("audited").setReason("checked: safe").build());
    long droneLease = lease(drone7);
    LeaseGrpc.newBlockingStub(operator)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .revoke(LeaseRevokeRequest.newBuilder().setId(droneLease).setReason("drone lost").build());
    RolloutsGrpc.RolloutsBlockingStub rollouts =
        RolloutsGrpc.newBlockingStub(operator).withDeadlineAfter(10, TimeUnit.SECONDS);
    rollouts.hold(HoldRequest.newBuilder().setFleet("fleet-3").setReason("wind").build());
    rollouts.release(HoldRequest.newBuilder().setFleet("fleet-3").setReason("calm").build());
    AuthGrpc.AuthBlockingStub auth =
        AuthGrpc.newBlockingStub(operator).withDeadlineAfter(10, TimeUnit.SECONDS);
    auth.rolePut(
        RolePutRequest.newBuilder()
            .setRole(
                Role.newBuilder()
                    .setName("scratch-writer")
                    .addGrants(
                        Grant.newBuilder()
                            .setPrefix("/scratch/{name}/")
                            .addPermissions(Permission.WRITE)
                            .addPermissions(Permission.READ)))
            .setReason("CI writes its scratch space")
            .build());
    auth.bindingPut(
        BindingPutRequest.newBuilder()
            .setBinding(
                Binding.newBuilder()
                    .setName("ci")
                    .setIdentityPattern("spiffe://aimstore/client/{name}")
                    .addRoles("scratch-writer"))
            .setReason("CI")
            .build());
    long rev = put(operator, "/x", "1").getHeader().getRevision();
    kv(operator).compact(CompactionRequest.newBuilder().setRevision(rev).build());

    List<AuditRecord> audit = locks.audit(AuditListRequest.getDefaultInstance()).getRecordsList();
    assertThat(audit)
        .extracting(AuditRecord::getAction)
        .contains(
            "force-release",
            "unquarantine",
            "lease-revoke",
            "fleet-hold",
            "fleet-release",
            "role-put",
            "binding-put",
            "compact");
    assertThat(audit).allSatisfy(a -> assertThat(a.getOperator()).isEqualTo(OPERATOR));
    AuditRecord revoke =
        audit.stream().filter(a -> a.getAction().equals("lease-revoke")).findFirst().orElseThrow();
    assertThat(revoke.getHolderIdentity()).isEqualTo(DRONE7);
    assertThat(revoke.getReason()).isEqualTo("drone lost");

    // the new binding: ci writes its own scratch space and nothing else
    put(ci, "/scratch/ci/a", "1");
    denied(() -> put(ci, "/scratch/other/a", "1"));
    assertThat(
            AuthGrpc.newBlockingStub(ci)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .whoAmI(WhoAmIRequest.getDefaultInstance())
                .getGrantsList())
        .extracting(Grant::getPrefix)
        .containsExactly("/scratch/ci/");
    // a drone may not read the audit log nor change roles
    denied(
        () ->
            LockGrpc.newBlockingStub(drone7)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .audit(AuditListRequest.getDefaultInstance()));
    denied(
        () ->
            AuthGrpc.newBlockingStub(drone7)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .rolePut(
                    RolePutRequest.newBuilder()
                        .setRole(Role.newBuilder().setName("x"))
                        .setReason("x")
                        .build()));
  }
}
