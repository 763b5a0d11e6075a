package io.aimstore.server.api.etcd;

import io.aimstore.etcd.api.CompactionRequest;
import io.aimstore.etcd.api.CompactionResponse;
import io.aimstore.etcd.api.DeleteRangeRequest;
import io.aimstore.etcd.api.DeleteRangeResponse;
import io.aimstore.etcd.api.KVGrpc;
import io.aimstore.etcd.api.PutRequest;
import io.aimstore.etcd.api.PutResponse;
import io.aimstore.etcd.api.RangeRequest;
import io.aimstore.etcd.api.RangeResponse;
import io.aimstore.etcd.api.TxnRequest;
import io.aimstore.etcd.api.TxnResponse;
import io.aimstore.server.api.KvService;
import io.grpc.stub.StreamObserver;

/** etcd's KV service, served by aimstore's {@link KvService}. */
final class EtcdKvService extends KVGrpc.KVImplBase {
  private final KvService kv;

  EtcdKvService(KvService kv) {
    this.kv = kv;
  }

  @Override
  public void range(RangeRequest req, StreamObserver<RangeResponse> obs) {
    kv.range(EtcdMessages.range(req), Relay.to(obs, EtcdMessages::range));
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> obs) {
    kv.put(EtcdMessages.put(req), Relay.to(obs, EtcdMessages::put));
  }

  @Override
  public void deleteRange(DeleteRangeRequest req, StreamObserver<DeleteRangeResponse> obs) {
    kv.deleteRange(EtcdMessages.deleteRange(req), Relay.to(obs, EtcdMessages::deleteRange));
  }

  @Override
  public void txn(TxnRequest req, StreamObserver<TxnResponse> obs) {
    io.aimstore.api.v1.TxnRequest txn;
    try {
      txn = EtcdMessages.txn(req);
    } catch (RuntimeException e) {
      obs.onError(EtcdErrors.toEtcd(e));
      return;
    }
    kv.txn(txn, Relay.to(obs, EtcdMessages::txn));
  }

  /** {@code physical} is implied: aimstore's compaction is done when the call returns. */
  @Override
  public void compact(CompactionRequest req, StreamObserver<CompactionResponse> obs) {
    kv.compact(
        io.aimstore.api.v1.CompactionRequest.newBuilder().setRevision(req.getRevision()).build(),
        Relay.to(
            obs,
            r ->
                CompactionResponse.newBuilder()
                    .setHeader(EtcdMessages.header(r.getHeader()))
                    .build()));
  }
}
