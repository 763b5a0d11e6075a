package io.aimstore.bench.driver;

import io.aimstore.bench.SystemKind;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** etcd through jetcd (gRPC; requests are spread over the members round-robin). */
public final class EtcdDriver implements Driver {
  private static final GetOption LINEARIZABLE = GetOption.builder().withSerializable(false).build();
  private static final GetOption SERIALIZABLE = GetOption.builder().withSerializable(true).build();

  private final Client client;
  private final KV kv;

  /**
   * @param endpoints client URLs, e.g. {@code http://127.0.0.1:17501}
   */
  public EtcdDriver(List<String> endpoints) {
    this.client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
    this.kv = client.getKVClient();
  }

  @Override
  public SystemKind system() {
    return SystemKind.ETCD;
  }

  @Override
  public void prepare(String namespace) {}

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    return kv.put(bytes(key), ByteSequence.from(value)).thenApply(r -> r.getHeader().getRevision());
  }

  @Override
  public CompletableFuture<Versioned> get(String key, ReadConsistency consistency) {
    GetOption option = consistency == ReadConsistency.SERIALIZABLE ? SERIALIZABLE : LINEARIZABLE;
    return kv.get(bytes(key), option)
        .thenApply(
            r -> {
              if (r.getKvs().isEmpty()) {
                return new Versioned(null, 0);
              }
              KeyValue found = r.getKvs().get(0);
              return new Versioned(found.getValue().getBytes(), found.getModRevision());
            });
  }

  @Override
  public CompletableFuture<CasOutcome> cas(String key, long expectedVersion, byte[] newValue) {
    ByteSequence k = bytes(key);
    return kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion)))
        .Then(Op.put(k, ByteSequence.from(newValue), PutOption.DEFAULT))
        .commit()
        .thenApply(
            r ->
                r.isSucceeded()
                    ? new CasOutcome(true, r.getHeader().getRevision())
                    : CasOutcome.CONFLICT);
  }

  @Override
  public void close() {
    client.close();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
