package io.aimstore.server.api;

import io.aimstore.api.v1.LeaseAdoptRequest;
import io.aimstore.api.v1.LeaseAdoptResponse;
import io.aimstore.api.v1.LeaseGrantRequest;
import io.aimstore.api.v1.LeaseGrantResponse;
import io.aimstore.api.v1.LeaseGrpc;
import io.aimstore.api.v1.LeaseInfo;
import io.aimstore.api.v1.LeaseKeepAliveRequest;
import io.aimstore.api.v1.LeaseKeepAliveResponse;
import io.aimstore.api.v1.LeaseLeasesRequest;
import io.aimstore.api.v1.LeaseLeasesResponse;
import io.aimstore.api.v1.LeaseRevokeRequest;
import io.aimstore.api.v1.LeaseRevokeResponse;
import io.aimstore.api.v1.LeaseTimeToLiveRequest;
import io.aimstore.api.v1.LeaseTimeToLiveResponse;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.Permission;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.LeaseGrant;
import io.aimstore.internal.LeaseRecord;
import io.aimstore.internal.LeaseRevoke;
import io.aimstore.internal.RevokeReason;
import io.aimstore.server.core.Access;
import io.aimstore.server.core.RequestValidator;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.Lessor;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Lease API. Grants, revocations and adoptions go through the log. Keep-alives and the views
 * that show deadlines are served by the leader, which holds them in memory; other members forward
 * them.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
  private static final int DEFAULT_PAGE = 1000;
  private static final int MAX_PAGE = 10_000;
  private static final int MAX_KEYS_SHOWN = 10_000;

  private final Calls calls;
  private final Lessor lessor;

  public LeaseService(Calls calls, Lessor lessor) {
    this.calls = calls;
    this.lessor = lessor;
  }

  @Override
  public void grant(LeaseGrantRequest req, StreamObserver<LeaseGrantResponse> obs) {
    LeaseGrant g =
        LeaseGrant.newBuilder()
            .setId(req.getId())
            .setTtlSeconds(req.getTtl())
            .setOwner(req.getOwner())
            .build();
    calls.propose(
        obs,
        () -> calls.validator().checkLeaseGrant(req),
        Command.newBuilder().setLeaseGrant(g),
        CommandResult::getLeaseGrant);
  }

  @Override
  public void revoke(LeaseRevokeRequest req, StreamObserver<LeaseRevokeResponse> obs) {
    LeaseRevoke r =
        LeaseRevoke.newBuilder()
            .setId(req.getId())
            .setReason(RevokeReason.REVOKED)
            .setNote(req.getReason())
            .build();
    calls.propose(
        obs,
        () -> checkId(req.getId()),
        Command.newBuilder().setLeaseRevoke(r),
        CommandResult::getLeaseRevoke);
  }

  @Override
  public void adopt(LeaseAdoptRequest req, StreamObserver<LeaseAdoptResponse> obs) {
    calls.propose(
        obs,
        () -> {
          checkId(req.getId());
          RequestValidator.checkOwner(req.hasOwner() ? req.getOwner() : null);
        },
        Command.newBuilder().setLeaseAdopt(req),
        CommandResult::getLeaseAdopt);
  }

  private static void checkId(long id) {
    if (id <= 0) {
      throw StoreException.invalid("lease id must be > 0, got " + id);
    }
  }

  @Override
  public StreamObserver<LeaseKeepAliveRequest> keepAlive(
      StreamObserver<LeaseKeepAliveResponse> responses) {
    SerializedObserver<LeaseKeepAliveResponse> client = new SerializedObserver<>(responses);
    LeaderRouter router = calls.router();
    return new StreamObserver<>() {
      private StreamObserver<LeaseKeepAliveRequest> upstream;

      @Override
      public void onNext(LeaseKeepAliveRequest req) {
        if (upstream != null) {
          upstream.onNext(req);
          return;
        }
        if (router.isLeader()) {
          try {
            lessor
                .keepAlive(req.getId(), calls.guard().access())
                .whenComplete(
                    (renewal, err) -> {
                      if (err != null) {
                        client.onError(GrpcErrors.toStatus(err));
                      } else {
                        long ms = renewal.remainingMs();
                        client.onNext(
                            LeaseKeepAliveResponse.newBuilder()
                                .setHeader(calls.headers().at(0))
                                .setId(req.getId())
                                .setTtl((ms + 999) / 1000)
                                .setTtlMs(ms)
                                .build());
                      }
                    });
            return;
          } catch (Lessor.NotLeaderException e) {
            // elected but not ready yet, or deposed a moment ago: never relay to ourselves
            client.onError(GrpcErrors.toStatus(LeaderRouter.noLeader()));
            return;
          } catch (RuntimeException e) {
            client.onError(GrpcErrors.toStatus(e));
            return;
          }
        }
        try {
          upstream = LeaseGrpc.newStub(router.leader()).keepAlive(client);
        } catch (RuntimeException e) {
          client.onError(GrpcErrors.toStatus(e));
          return;
        }
        upstream.onNext(req);
      }

      @Override
      public void onError(Throwable t) {
        if (upstream != null) {
          upstream.onError(t);
        }
      }

      @Override
      public void onCompleted() {
        if (upstream != null) {
          upstream.onCompleted();
        } else {
          client.onCompleted();
        }
      }
    };
  }

  @Override
  public void timeToLive(LeaseTimeToLiveRequest req, StreamObserver<LeaseTimeToLiveResponse> obs) {
    if (calls
        .router()
        .forwardedUnlessLeader(
            obs,
            ch ->
                LeaseGrpc.newStub(ch)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .timeToLive(req, obs))) {
      return;
    }
    Replies.run(
        () -> {
          checkId(req.getId());
          Access access = calls.guard().access();
          return calls
              .reads()
              .linearizable(
                  store -> {
                    LeaseRecord r = store.lease(req.getId());
                    if (r == null) {
                      throw StoreException.leaseNotFound(req.getId(), " (expired or revoked)");
                    }
                    if (!visible(access, r)) {
                      throw access.denied(
                          Permission.ADMIN, "see lease " + r.getId() + " of " + r.getIdentity());
                    }
                    LeaseTimeToLiveResponse.Builder b =
                        LeaseTimeToLiveResponse.newBuilder()
                            .setHeader(calls.headers().at(store.revision()))
                            .setLease(info(store, r));
                    if (req.getKeys()) {
                      b.addAllKeys(store.leaseKeys(req.getId(), MAX_KEYS_SHOWN));
                    }
                    return b.build();
                  });
        },
        obs);
  }

  @Override
  public void leases(LeaseLeasesRequest req, StreamObserver<LeaseLeasesResponse> obs) {
    if (calls
        .router()
        .forwardedUnlessLeader(
            obs,
            ch -> LeaseGrpc.newStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).leases(req, obs))) {
      return;
    }
    Replies.run(
        () -> {
          if (req.getLimit() < 0 || req.getLimit() > MAX_PAGE) {
            throw StoreException.invalid(
                "limit must be between 0 and " + MAX_PAGE + ", got " + req.getLimit());
          }
          int limit = req.getLimit() == 0 ? DEFAULT_PAGE : req.getLimit();
          Access access = calls.guard().access();
          return calls
              .reads()
              .linearizable(
                  store -> {
                    LeaseLeasesResponse.Builder b =
                        LeaseLeasesResponse.newBuilder()
                            .setHeader(calls.headers().at(store.revision()));
                    long after = req.getAfterId();
                    while (b.getLeasesCount() < limit) {
                      List<LeaseRecord> page = store.leases(after, limit);
                      if (page.isEmpty()) {
                        after = 0;
                        break;
                      }
                      for (LeaseRecord r : page) {
                        after = r.getId();
                        if (matches(req, r.getOwner()) && visible(access, r)) {
                          b.addLeases(info(store, r));
                          if (b.getLeasesCount() == limit) {
                            break;
                          }
                        }
                      }
                    }
                    boolean more = after != 0 && !store.leases(after, 1).isEmpty();
                    return b.setNextAfterId(more ? after : 0).build();
                  });
        },
        obs);
  }

  /** Leases are visible to their owner identity, and every lease to an admin. */
  private static boolean visible(Access a, LeaseRecord r) {
    return a.admin() || r.getIdentity().isEmpty() || r.getIdentity().equals(a.identity());
  }

  private static boolean matches(LeaseLeasesRequest req, Owner o) {
    if (!req.getOwnerHost().isEmpty() && !req.getOwnerHost().equals(o.getHost())) {
      return false;
    }
    if (!req.getOwnerName().isEmpty() && !req.getOwnerName().equals(o.getName())) {
      return false;
    }
    for (Map.Entry<String, String> e : req.getLabelsMap().entrySet()) {
      if (!e.getValue().equals(o.getLabelsMap().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private LeaseInfo info(Store store, LeaseRecord r) {
    Lessor.LiveInfo live = lessor.live(r.getId());
    return LeaseInfo.newBuilder()
        .setId(r.getId())
        .setGrantedTtl(r.getTtlSeconds())
        .setRemainingMs(live == null ? -1 : live.remainingMs())
        .setGrantedAtMs(r.getGrantedAtMs())
        .setOwner(r.getOwner())
        .setIdentity(r.getIdentity())
        .setLastKeepaliveAgeMs(live == null ? -1 : live.sinceKeepAliveMs())
        .setKeyCount(store.leaseKeyCount(r.getId()))
        .build();
  }
}
