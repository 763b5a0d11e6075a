package io.aimstore.client;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.CompactionResponse;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The keyspace. Requests are the protobuf messages of {@code aimstore.v1}; the string methods are
 * shorthands. Failures complete the future with {@link AimStoreException}. Reads are retried on
 * another member when one is unavailable; writes only when the store said they were not applied.
 */
public interface KV {

  CompletableFuture<RangeResponse> get(RangeRequest request);

  CompletableFuture<PutResponse> put(PutRequest request);

  CompletableFuture<DeleteRangeResponse> delete(DeleteRangeRequest request);

  CompletableFuture<TxnResponse> txn(TxnRequest request);

  CompletableFuture<CompactionResponse> compact(long revision);

  /** Linearizable read of one key. */
  default CompletableFuture<RangeResponse> get(String key) {
    return get(RangeRequest.newBuilder().setKey(utf8(key)).build());
  }

  /** Linearizable read of every key starting with {@code prefix}. */
  default CompletableFuture<RangeResponse> getPrefix(String prefix) {
    ByteString p = utf8(prefix);
    return get(RangeRequest.newBuilder().setKey(p).setRangeEnd(KeyRanges.prefixEnd(p)).build());
  }

  default CompletableFuture<PutResponse> put(String key, String value) {
    return put(PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value)).build());
  }

  default CompletableFuture<DeleteRangeResponse> delete(String key) {
    return delete(DeleteRangeRequest.newBuilder().setKey(utf8(key)).build());
  }

  static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
