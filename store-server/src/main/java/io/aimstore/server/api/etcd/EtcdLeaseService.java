package io.aimstore.server.api.etcd;

import io.aimstore.api.v1.LeaseInfo;
import io.aimstore.api.v1.Owner;
import io.aimstore.etcd.api.LeaseGrantRequest;
import io.aimstore.etcd.api.LeaseGrantResponse;
import io.aimstore.etcd.api.LeaseGrpc;
import io.aimstore.etcd.api.LeaseKeepAliveRequest;
import io.aimstore.etcd.api.LeaseKeepAliveResponse;
import io.aimstore.etcd.api.LeaseLeasesRequest;
import io.aimstore.etcd.api.LeaseLeasesResponse;
import io.aimstore.etcd.api.LeaseRevokeRequest;
import io.aimstore.etcd.api.LeaseRevokeResponse;
import io.aimstore.etcd.api.LeaseStatus;
import io.aimstore.etcd.api.LeaseTimeToLiveRequest;
import io.aimstore.etcd.api.LeaseTimeToLiveResponse;
import io.aimstore.server.api.LeaseService;
import io.aimstore.server.core.Limits;
import io.aimstore.server.core.RequestValidator;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Lease service, served by aimstore's {@link LeaseService}: grants and revocations through
 * the log, keep-alives and TimeToLive by the leader (followers relay them, as for aimstore's own
 * clients).
 *
 * <p>etcd clients send no owner with a grant, so the lease's owner is the connection it came over:
 * name {@code etcd-client}, host the client's IP address, labels {@code api=etcd-v3}, {@code
 * peer=<ip:port>} and {@code user-agent}; {@code aimctl lease show} and {@code lock show} print it.
 * A TTL below aimstore's minimum is raised to it (etcd does the same with its own minimum).
 */
final class EtcdLeaseService extends LeaseGrpc.LeaseImplBase {
  static final String API = "etcd-v3";

  private final LeaseService leases;
  private final Limits limits;

  EtcdLeaseService(LeaseService leases, Limits limits) {
    this.leases = leases;
    this.limits = limits;
  }

  /** The owner recorded for a lease granted over the current etcd call. */
  static Owner owner() {
    CallInfo call = CallInfo.current();
    Owner.Builder o =
        Owner.newBuilder()
            .setName("etcd-client")
            .setHost(call.host())
            .putLabels(RequestValidator.API_LABEL, API)
            .putLabels(RequestValidator.PEER_LABEL, call.remote());
    if (!call.userAgent().isEmpty()) {
      o.putLabels("user-agent", call.userAgent());
    }
    return o.build();
  }

  @Override
  public void leaseGrant(LeaseGrantRequest req, StreamObserver<LeaseGrantResponse> obs) {
    long ttl = Math.max(req.getTTL(), limits.minLeaseTtl().toSeconds());
    leases.grant(
        io.aimstore.api.v1.LeaseGrantRequest.newBuilder()
            .setTtl(ttl)
            .setId(req.getID())
            .setOwner(owner())
            .build(),
        Relay.to(
            obs,
            r ->
                LeaseGrantResponse.newBuilder()
                    .setHeader(EtcdMessages.header(r.getHeader()))
                    .setID(r.getId())
                    .setTTL(r.getTtl())
                    .build()));
  }

  @Override
  public void leaseRevoke(LeaseRevokeRequest req, StreamObserver<LeaseRevokeResponse> obs) {
    leases.revoke(
        io.aimstore.api.v1.LeaseRevokeRequest.newBuilder().setId(req.getID()).build(),
        Relay.to(
            obs,
            r ->
                LeaseRevokeResponse.newBuilder()
                    .setHeader(EtcdMessages.header(r.getHeader()))
                    .build()));
  }

  @Override
  public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(
      StreamObserver<LeaseKeepAliveResponse> responses) {
    StreamObserver<io.aimstore.api.v1.LeaseKeepAliveRequest> upstream =
        leases.keepAlive(
            Relay.to(
                responses,
                r ->
                    LeaseKeepAliveResponse.newBuilder()
                        .setHeader(EtcdMessages.header(r.getHeader()))
                        .setID(r.getId())
                        .setTTL(r.getTtl())
                        .build()));
    return new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveRequest req) {
        upstream.onNext(
            io.aimstore.api.v1.LeaseKeepAliveRequest.newBuilder().setId(req.getID()).build());
      }

      @Override
      public void onError(Throwable t) {
        upstream.onError(t);
      }

      @Override
      public void onCompleted() {
        upstream.onCompleted();
      }
    };
  }

  /** A lease that does not exist answers TTL -1, as in etcd (not an error). */
  @Override
  public void leaseTimeToLive(
      LeaseTimeToLiveRequest req, StreamObserver<LeaseTimeToLiveResponse> obs) {
    CompletableFuture<io.aimstore.api.v1.LeaseTimeToLiveResponse> aim =
        Relay.call(
            o ->
                leases.timeToLive(
                    io.aimstore.api.v1.LeaseTimeToLiveRequest.newBuilder()
                        .setId(req.getID())
                        .setKeys(req.getKeys())
                        .build(),
                    o));
    Relay.send(
        aim.handle(
            (r, err) -> {
              if (err == null) {
                LeaseInfo l = r.getLease();
                return LeaseTimeToLiveResponse.newBuilder()
                    .setHeader(EtcdMessages.header(r.getHeader()))
                    .setID(l.getId())
                    .setTTL(l.getRemainingMs() < 0 ? -1 : l.getRemainingMs() / 1000)
                    .setGrantedTTL(l.getGrantedTtl())
                    .addAllKeys(r.getKeysList())
                    .build();
              }
              if (Status.fromThrowable(err).getCode() == Status.Code.NOT_FOUND) {
                return LeaseTimeToLiveResponse.newBuilder().setID(req.getID()).setTTL(-1).build();
              }
              throw EtcdErrors.toEtcd(err);
            }),
        obs);
  }

  /** Every lease (aimstore pages them; etcd's call has no paging). */
  @Override
  public void leaseLeases(LeaseLeasesRequest req, StreamObserver<LeaseLeasesResponse> obs) {
    Relay.send(page(0, LeaseLeasesResponse.newBuilder()), obs);
  }

  private CompletableFuture<LeaseLeasesResponse> page(long after, LeaseLeasesResponse.Builder acc) {
    return Relay.<io.aimstore.api.v1.LeaseLeasesResponse>call(
            o ->
                leases.leases(
                    io.aimstore.api.v1.LeaseLeasesRequest.newBuilder().setAfterId(after).build(),
                    o))
        .thenComposeAsync(
            r -> {
              if (!acc.hasHeader()) {
                acc.setHeader(EtcdMessages.header(r.getHeader()));
              }
              for (LeaseInfo l : r.getLeasesList()) {
                acc.addLeases(LeaseStatus.newBuilder().setID(l.getId()));
              }
              return r.getNextAfterId() == 0
                  ? CompletableFuture.completedFuture(acc.build())
                  : page(r.getNextAfterId(), acc);
            },
            Relay.inCallContext());
  }
}
