package io.aimstore.bench.driver;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.bench.SystemKind;
import io.aimstore.client.AimStoreClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** aimstore through its own Java client ({@code store-client}). */
public final class AimstoreDriver implements Driver {
  private final AimStoreClient client;

  public AimstoreDriver(List<String> endpoints) {
    this.client = AimStoreClient.builder().endpoints(endpoints).build();
  }

  @Override
  public SystemKind system() {
    return SystemKind.AIMSTORE;
  }

  @Override
  public void prepare(String namespace) {}

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    return client
        .kv()
        .put(PutRequest.newBuilder().setKey(utf8(key)).setValue(ByteString.copyFrom(value)).build())
        .thenApply(r -> r.getHeader().getRevision());
  }

  @Override
  public CompletableFuture<Versioned> get(String key, ReadConsistency consistency) {
    RangeRequest req =
        RangeRequest.newBuilder()
            .setKey(utf8(key))
            .setSerializable(consistency == ReadConsistency.SERIALIZABLE)
            .build();
    return client
        .kv()
        .get(req)
        .thenApply(
            r -> {
              if (r.getKvsCount() == 0) {
                return new Versioned(null, 0);
              }
              KeyValue kv = r.getKvs(0);
              return new Versioned(kv.getValue().toByteArray(), kv.getModRevision());
            });
  }

  @Override
  public CompletableFuture<CasOutcome> cas(String key, long expectedVersion, byte[] newValue) {
    ByteString k = utf8(key);
    TxnRequest txn =
        TxnRequest.newBuilder()
            .addCompare(
                Compare.newBuilder()
                    .setKey(k)
                    .setTarget(Compare.CompareTarget.MOD)
                    .setResult(Compare.CompareResult.EQUAL)
                    .setModRevision(expectedVersion))
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestPut(
                        PutRequest.newBuilder().setKey(k).setValue(ByteString.copyFrom(newValue))))
            .build();
    return client
        .kv()
        .txn(txn)
        .thenApply(
            r ->
                r.getSucceeded()
                    ? new CasOutcome(true, r.getHeader().getRevision())
                    : CasOutcome.CONFLICT);
  }

  @Override
  public void close() {
    client.close();
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
