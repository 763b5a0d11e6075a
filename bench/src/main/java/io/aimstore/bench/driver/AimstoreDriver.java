package io.aimstore.bench.driver;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.LeaseGrpc;
import io.aimstore.api.v1.LeaseKeepAliveRequest;
import io.aimstore.api.v1.LeaseKeepAliveResponse;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.bench.SystemKind;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.Session;
import io.aimstore.client.SessionOptions;
import io.aimstore.client.TlsFiles;
import io.aimstore.client.WatchHandle;
import io.aimstore.client.WatchOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * aimstore through its own Java client ({@code store-client}); keep-alive streams through its gRPC
 * Lease API directly.
 */
public final class AimstoreDriver
    implements Driver, LeaseDriver, LockDriver, SessionKeyDriver, WatchDriver, HistoryWatchDriver {
  private final List<String> endpoints;
  private final AimStoreClient client;
  private final TlsFiles tls;

  /**
   * @param tls the client's TLS files (the cluster's operator); null for an insecure cluster
   */
  public AimstoreDriver(List<String> endpoints, TlsFiles tls) {
    this.endpoints = List.copyOf(endpoints);
    this.tls = tls;
    this.client = AimStoreClient.builder().endpoints(endpoints).tls(tls).build();
  }

  /** aimstore over mutual TLS, or aimstore in plaintext when it has no TLS files. */
  @Override
  public SystemKind system() {
    return tls == null ? SystemKind.AIMSTORE_PLAINTEXT : SystemKind.AIMSTORE;
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    return client
        .kv()
        .put(putRequest(key, value).build())
        .thenApply(r -> r.getHeader().getRevision());
  }

  private static PutRequest.Builder putRequest(String key, byte[] value) {
    return PutRequest.newBuilder().setKey(utf8(key)).setValue(ByteString.copyFrom(value));
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
  public CompletableFuture<Long> grant(Duration ttl) {
    return client.leases().grant(ttl).thenApply(r -> r.getId());
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value, long lease) {
    return client
        .kv()
        .put(putRequest(key, value).setLease(lease).build())
        .thenApply(r -> r.getHeader().getRevision());
  }

  @Override
  public CompletableFuture<Void> revoke(long lease) {
    return client.leases().revoke(lease).thenApply(r -> null);
  }

  @Override
  public KeepAliveStreams keepAliveStreams(String address, int streams) {
    return new MultiplexedKeepAlive<>(
        address,
        streams,
        new MultiplexedKeepAlive.Protocol<>(
            (channel, responses) -> LeaseGrpc.newStub(channel).keepAlive(responses),
            lease -> LeaseKeepAliveRequest.newBuilder().setId(lease).build(),
            LeaseKeepAliveResponse::getId,
            LeaseKeepAliveResponse::getTtlMs));
  }

  @Override
  public LockClient newLockClient(Duration ttl) {
    OwnSession own = OwnSession.open(endpoints, tls, ttl);
    return LockClient.of(
        (name, wait) -> own.client.locks().acquire(name, own.session, wait)::close, own::close);
  }

  @Override
  public SessionKey holdKey(String key, byte[] value, Duration ttl) throws Exception {
    OwnSession own = OwnSession.open(endpoints, tls, ttl);
    try {
      own.client
          .kv()
          .put(putRequest(key, value).setLease(own.session.leaseId()).build())
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      own.close();
      throw e;
    }
    return SessionKey.of(own.session.ttl().toMillis(), own::close);
  }

  /** A client of its own with a session, as a holder has: closing it ends both. */
  private record OwnSession(AimStoreClient client, Session session) implements AutoCloseable {
    static OwnSession open(List<String> endpoints, TlsFiles tls, Duration ttl) {
      AimStoreClient own =
          AimStoreClient.builder().endpoints(endpoints).tls(tls).name("aimstore-bench").build();
      try {
        return new OwnSession(own, own.session(SessionOptions.ttl(ttl)));
      } catch (RuntimeException e) {
        own.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        session.close();
      } finally {
        client.close();
      }
    }
  }

  @Override
  public Watchers watchers(String address, int count) {
    List<AimStoreClient> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clients.add(AimStoreClient.builder().endpoints(address).tls(tls).build());
    }
    return new Watchers() {
      @Override
      public int clients() {
        return clients.size();
      }

      @Override
      public void watch(int c, String key, Watchers.WatchListener listener) {
        clients
            .get(Math.floorMod(c, clients.size()))
            .watch()
            .watch(
                WatchOptions.key(key),
                (revision, events) -> listener.changed(key, revision, System.nanoTime()));
      }

      @Override
      public void close() {
        clients.forEach(AimStoreClient::close);
      }
    };
  }

  @Override
  public AutoCloseable watchPrefixFrom(
      String address, String prefix, long fromRevision, LongConsumer onRevision) {
    AimStoreClient own = AimStoreClient.builder().endpoints(address).tls(tls).build();
    WatchHandle h =
        own.watch()
            .watch(
                WatchOptions.prefix(prefix).fromRevision(fromRevision),
                new io.aimstore.client.WatchListener() {
                  @Override
                  public void onRevision(long revision, List<Event> events) {
                    onRevision.accept(revision);
                  }
                });
    return () -> {
      h.close();
      own.close();
    };
  }

  @Override
  public void close() {
    client.close();
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
