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
 * The keyspace: an MVCC map from byte keys to byte values with etcd's semantics. Requests are the
 * protobuf messages of {@code aimstore.v1}; the string methods are shorthands for UTF-8 keys.
 *
 * <p>Every method returns at once. The future completes on a client thread (keep its callbacks
 * short, never block in them) and fails with {@link AimStoreException}, within the client's request
 * timeout. Reads are retried on another member when one is unavailable. A write is retried only
 * when it certainly did not apply; otherwise its failure says {@link
 * AimStoreException.Outcome#UNKNOWN} and the caller decides. A successful write is on a majority's
 * disk. Thread-safe.
 */
public interface KV {

  /**
   * Reads one key or a range, linearizably unless the request asks for a serializable read (served
   * by the answering member, possibly stale), now or at a past revision.
   *
   * @throws AimStoreException (in the future) OUT_OF_RANGE for a compacted or future revision;
   *     INVALID_ARGUMENT for a malformed range
   */
  CompletableFuture<RangeResponse> get(RangeRequest request);

  /**
   * Writes a key, creating a new revision; with a lease the key goes when the lease does; with a
   * fence it applies only while the fence's token holds its lock.
   *
   * @throws AimStoreException (in the future) INVALID_ARGUMENT for a key or value beyond the
   *     limits; NOT_FOUND for an unknown lease; FAILED_PRECONDITION for a stale fence;
   *     PERMISSION_DENIED for a key the store manages
   */
  CompletableFuture<PutResponse> put(PutRequest request);

  /**
   * Deletes a key or a range (one revision for all of them); deleting nothing is not an error. Same
   * failures as {@link #put(PutRequest)}.
   */
  CompletableFuture<DeleteRangeResponse> delete(DeleteRangeRequest request);

  /**
   * Runs compares, then the success or the failure operations, atomically in one revision. Whether
   * the compares held is {@link TxnResponse#getSucceeded()}, not a failure.
   *
   * @throws AimStoreException (in the future) INVALID_ARGUMENT for more than the limit of
   *     operations or compares; the failures of the operations it runs
   */
  CompletableFuture<TxnResponse> txn(TxnRequest request);

  /**
   * Discards history before {@code revision}: reads and watches below it fail from then on.
   *
   * @throws AimStoreException (in the future) OUT_OF_RANGE when the revision is already compacted
   *     or in the future
   */
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

  /** Writes {@code value} (UTF-8) to {@code key}, with no lease and no fence. */
  default CompletableFuture<PutResponse> put(String key, String value) {
    return put(PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value)).build());
  }

  /** Deletes one key. */
  default CompletableFuture<DeleteRangeResponse> delete(String key) {
    return delete(DeleteRangeRequest.newBuilder().setKey(utf8(key)).build());
  }

  /** The UTF-8 bytes of {@code s}, as keys and values are sent. */
  static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
