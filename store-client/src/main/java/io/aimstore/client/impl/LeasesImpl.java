package io.aimstore.client.impl;

import io.aimstore.api.v1.LeaseAdoptRequest;
import io.aimstore.api.v1.LeaseAdoptResponse;
import io.aimstore.api.v1.LeaseGrantRequest;
import io.aimstore.api.v1.LeaseGrantResponse;
import io.aimstore.api.v1.LeaseGrpc;
import io.aimstore.api.v1.LeaseKeepAliveRequest;
import io.aimstore.api.v1.LeaseKeepAliveResponse;
import io.aimstore.api.v1.LeaseLeasesRequest;
import io.aimstore.api.v1.LeaseLeasesResponse;
import io.aimstore.api.v1.LeaseRevokeRequest;
import io.aimstore.api.v1.LeaseRevokeResponse;
import io.aimstore.api.v1.LeaseTimeToLiveRequest;
import io.aimstore.api.v1.LeaseTimeToLiveResponse;
import io.aimstore.api.v1.Owner;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.Leases;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.client.impl.Connection.Retry;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** {@link Leases} over gRPC with failover. */
public final class LeasesImpl implements Leases {
  private final Connection conn;
  private final Owner owner;
  private final KeepAliveStream stream;

  public LeasesImpl(Connection conn, Owner owner) {
    this.conn = conn;
    this.owner = owner;
    this.stream = new KeepAliveStream(conn);
  }

  @Override
  public CompletableFuture<LeaseGrantResponse> grant(Duration ttl) {
    // Whole seconds, rounded up; zero and negative TTLs go as they are, for the store to refuse.
    long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
    return grant(LeaseGrantRequest.newBuilder().setTtl(seconds).setOwner(owner).build());
  }

  @Override
  public CompletableFuture<LeaseGrantResponse> grant(LeaseGrantRequest request) {
    return conn.call(LeaseGrpc.getGrantMethod(), request, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<LeaseRevokeResponse> revoke(long id, String reason) {
    LeaseRevokeRequest r = LeaseRevokeRequest.newBuilder().setId(id).setReason(reason).build();
    return conn.call(LeaseGrpc.getRevokeMethod(), r, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<LeaseAdoptResponse> adopt(long id) {
    LeaseAdoptRequest r = LeaseAdoptRequest.newBuilder().setId(id).setOwner(owner).build();
    return conn.call(LeaseGrpc.getAdoptMethod(), r, Retry.IDEMPOTENT_AT_LEADER);
  }

  @Override
  public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long id, boolean withKeys) {
    LeaseTimeToLiveRequest r =
        LeaseTimeToLiveRequest.newBuilder().setId(id).setKeys(withKeys).build();
    return conn.call(LeaseGrpc.getTimeToLiveMethod(), r, Retry.IDEMPOTENT_AT_LEADER);
  }

  @Override
  public CompletableFuture<LeaseLeasesResponse> list(LeaseLeasesRequest request) {
    return conn.call(LeaseGrpc.getLeasesMethod(), request, Retry.IDEMPOTENT_AT_LEADER);
  }

  @Override
  public CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(long id) {
    return conn.call(
        ch -> {
          com.google.common.util.concurrent.SettableFuture<LeaseKeepAliveResponse> f =
              com.google.common.util.concurrent.SettableFuture.create();
          StreamObserver<LeaseKeepAliveRequest> req =
              LeaseGrpc.newStub(ch)
                  .keepAlive(
                      new StreamObserver<>() {
                        @Override
                        public void onNext(LeaseKeepAliveResponse r) {
                          f.set(r);
                        }

                        @Override
                        public void onError(Throwable t) {
                          f.setException(t);
                        }

                        @Override
                        public void onCompleted() {
                          f.setException(
                              Status.UNAVAILABLE
                                  .withDescription("stream closed")
                                  .asRuntimeException());
                        }
                      });
          req.onNext(LeaseKeepAliveRequest.newBuilder().setId(id).build());
          f.addListener(
              req::onCompleted, com.google.common.util.concurrent.MoreExecutors.directExecutor());
          return f;
        },
        Retry.IDEMPOTENT_AT_LEADER);
  }

  @Override
  public Session session(SessionOptions options) {
    long start = System.nanoTime();
    long id;
    Duration ttl = options.ttl();
    if (options.leaseId() == 0) {
      id = AimStoreClient.await(grant(options.ttl())).getId();
    } else {
      id = options.leaseId();
      AimStoreClient.await(adopt(id));
      start = System.nanoTime();
      LeaseKeepAliveResponse r = AimStoreClient.await(keepAliveOnce(id));
      // the lease's own TTL rules, whatever the options said
      ttl = Duration.ofMillis(Math.min(ttl.toMillis(), Math.max(1, r.getTtlMs())));
      if (r.getTtlMs() <= 0) {
        throw new AimStoreException(
            AimStoreException.Code.NOT_FOUND,
            "lease " + id + " not found (expired or revoked)",
            AimStoreException.Outcome.NOT_APPLIED,
            null);
      }
    }
    return new SessionImpl(id, ttl, start, stream, this, conn, System::nanoTime);
  }
}
