package io.aimstore.server.api.etcd;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.LockAcquireResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.etcd.api.election.CampaignRequest;
import io.aimstore.etcd.api.election.CampaignResponse;
import io.aimstore.etcd.api.election.ElectionGrpc;
import io.aimstore.etcd.api.election.LeaderKey;
import io.aimstore.etcd.api.election.LeaderRequest;
import io.aimstore.etcd.api.election.LeaderResponse;
import io.aimstore.etcd.api.election.ProclaimRequest;
import io.aimstore.etcd.api.election.ProclaimResponse;
import io.aimstore.etcd.api.election.ResignRequest;
import io.aimstore.etcd.api.election.ResignResponse;
import io.aimstore.server.api.KvService;
import io.aimstore.server.api.LockService;
import io.aimstore.server.api.WatchService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * etcd's server-side election service (v3election). An election named N is a lock queue of keys
 * {@code N/<lease in hex>} whose values are the candidates' proclamations; the leader is the key
 * with the lowest create revision. Campaign queues through aimstore's {@link LockService} (so the
 * leader is also the holder of aimstore lock N, seen by {@code aimctl lock show N}); Proclaim and
 * Resign are transactions guarded by the leader key's create revision, and Leader and Observe read
 * and watch the keys, all through aimstore's KV and Watch services.
 */
final class EtcdElectionService extends ElectionGrpc.ElectionImplBase {
  private final LockService locks;
  private final KvService kv;
  private final WatchService watch;

  EtcdElectionService(LockService locks, KvService kv, WatchService watch) {
    this.locks = locks;
    this.kv = kv;
    this.watch = watch;
  }

  @Override
  public void campaign(CampaignRequest req, StreamObserver<CampaignResponse> obs) {
    CompletableFuture<LockAcquireResponse> led = new CompletableFuture<>();
    Relay.send(
        led.thenApply(
            r ->
                CampaignResponse.newBuilder()
                    .setHeader(EtcdMessages.header(r.getHeader()))
                    .setLeader(
                        LeaderKey.newBuilder()
                            .setName(req.getName())
                            .setKey(r.getKey())
                            .setRev(r.getToken())
                            .setLease(req.getLease()))
                    .build()),
        obs);
    EtcdLockService.claim(req.getName(), req.getLease(), req.getValue(), obs, locks, led);
  }

  @Override
  public void proclaim(ProclaimRequest req, StreamObserver<ProclaimResponse> obs) {
    ifLeader(
        req.hasLeader(),
        req.getLeader(),
        l ->
            RequestOp.newBuilder()
                .setRequestPut(
                    io.aimstore.api.v1.PutRequest.newBuilder()
                        .setKey(l.getKey())
                        .setValue(req.getValue())
                        .setLease(l.getLease())),
        r -> {
          if (!r.getSucceeded()) {
            throw notLeader();
          }
          return ProclaimResponse.newBuilder()
              .setHeader(EtcdMessages.header(r.getHeader()))
              .build();
        },
        obs);
  }

  /** Gives up leadership if {@code leader} still holds it; not an error otherwise (as in etcd). */
  @Override
  public void resign(ResignRequest req, StreamObserver<ResignResponse> obs) {
    ifLeader(
        req.hasLeader(),
        req.getLeader(),
        l ->
            RequestOp.newBuilder()
                .setRequestDeleteRange(
                    io.aimstore.api.v1.DeleteRangeRequest.newBuilder().setKey(l.getKey())),
        r -> ResignResponse.newBuilder().setHeader(EtcdMessages.header(r.getHeader())).build(),
        obs);
  }

  /**
   * Runs {@code op} on the leader key in a transaction that holds only while it still leads (its
   * key was not re-created), and answers {@code obs} with what {@code reply} makes of the outcome.
   */
  private <E> void ifLeader(
      boolean hasLeader,
      LeaderKey l,
      Function<LeaderKey, RequestOp.Builder> op,
      Function<io.aimstore.api.v1.TxnResponse, E> reply,
      StreamObserver<E> obs) {
    if (!hasLeader) {
      obs.onError(missingLeader());
      return;
    }
    Compare isLeader =
        Compare.newBuilder()
            .setKey(l.getKey())
            .setTarget(Compare.CompareTarget.CREATE)
            .setResult(Compare.CompareResult.EQUAL)
            .setCreateRevision(l.getRev())
            .build();
    TxnRequest txn = TxnRequest.newBuilder().addCompare(isLeader).addSuccess(op.apply(l)).build();
    Relay.send(
        Relay.<io.aimstore.api.v1.TxnResponse>call(o -> kv.txn(txn, o)).thenApply(reply), obs);
  }

  @Override
  public void leader(LeaderRequest req, StreamObserver<LeaderResponse> obs) {
    Relay.send(
        Relay.<io.aimstore.api.v1.RangeResponse>call(o -> kv.range(firstCreated(req.getName()), o))
            .thenApply(
                r -> {
                  if (r.getKvsCount() == 0) {
                    throw noLeader();
                  }
                  return LeaderResponse.newBuilder()
                      .setHeader(EtcdMessages.header(r.getHeader()))
                      .setKv(EtcdMessages.kv(r.getKvs(0)))
                      .build();
                }),
        obs);
  }

  @Override
  public void observe(LeaderRequest req, StreamObserver<LeaderResponse> obs) {
    new ElectionObserver(
            prefix(req.getName()), kv, watch, (ServerCallStreamObserver<LeaderResponse>) obs)
        .start();
  }

  /** The election's keys: {@code name/...}. */
  static ByteString prefix(ByteString name) {
    return name.concat(ByteString.copyFromUtf8("/"));
  }

  /** The first-created key of the election: its leader. */
  private static RangeRequest firstCreated(ByteString name) {
    ByteString p = prefix(name);
    return RangeRequest.newBuilder()
        .setKey(p)
        .setRangeEnd(KeyRanges.prefixEnd(p))
        .setSortTarget(RangeRequest.SortTarget.CREATE)
        .setSortOrder(RangeRequest.SortOrder.ASCEND)
        .setLimit(1)
        .build();
  }

  /** etcd's election errors are plain Go errors: code UNKNOWN, matched by text. */
  private static StatusRuntimeException notLeader() {
    return Status.UNKNOWN.withDescription(EtcdErrors.ELECTION_NOT_LEADER).asRuntimeException();
  }

  private static StatusRuntimeException noLeader() {
    return Status.UNKNOWN.withDescription(EtcdErrors.ELECTION_NO_LEADER).asRuntimeException();
  }

  private static StatusRuntimeException missingLeader() {
    return Status.UNKNOWN.withDescription("\"leader\" field must be provided").asRuntimeException();
  }
}
