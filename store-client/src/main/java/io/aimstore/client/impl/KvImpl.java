package io.aimstore.client.impl;

import io.aimstore.api.v1.CompactionRequest;
import io.aimstore.api.v1.CompactionResponse;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.KVGrpc;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import io.aimstore.client.KV;
import io.aimstore.client.impl.Connection.Retry;
import java.util.concurrent.CompletableFuture;

/** {@link KV} over gRPC with failover. */
public final class KvImpl implements KV {
  private final Connection conn;

  public KvImpl(Connection conn) {
    this.conn = conn;
  }

  @Override
  public CompletableFuture<RangeResponse> get(RangeRequest request) {
    // Linearizable reads go to the leader, which answers from its lease; a follower would have to
    // ask the leader for the read index and then wait to hear the commit.
    return conn.call(
        KVGrpc.getRangeMethod(),
        request,
        request.getSerializable() ? Retry.IDEMPOTENT : Retry.IDEMPOTENT_AT_LEADER);
  }

  @Override
  public CompletableFuture<PutResponse> put(PutRequest request) {
    return conn.call(KVGrpc.getPutMethod(), request, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<DeleteRangeResponse> delete(DeleteRangeRequest request) {
    return conn.call(KVGrpc.getDeleteRangeMethod(), request, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<TxnResponse> txn(TxnRequest request) {
    return conn.call(KVGrpc.getTxnMethod(), request, Retry.IF_NOT_APPLIED);
  }

  @Override
  public CompletableFuture<CompactionResponse> compact(long revision) {
    CompactionRequest r = CompactionRequest.newBuilder().setRevision(revision).build();
    return conn.call(KVGrpc.getCompactMethod(), r, Retry.IF_NOT_APPLIED);
  }
}
