package io.aimstore.bench.driver;

import io.aimstore.bench.SystemKind;
import io.aimstore.client.TlsFiles;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLException;

/**
 * etcd through jetcd (gRPC; requests are spread over the members round-robin); keep-alive streams
 * and multiplexed watches through etcd's gRPC API directly (the stubs jetcd ships).
 */
public final class EtcdDriver
    implements Driver, LeaseDriver, LockDriver, SessionKeyDriver, WatchDriver, HistoryWatchDriver {
  private static final GetOption LINEARIZABLE = GetOption.builder().withSerializable(false).build();
  private static final GetOption SERIALIZABLE = GetOption.builder().withSerializable(true).build();

  private final List<String> endpoints;
  private final SystemKind system;
  private final Client client;
  private final KV kv;

  /**
   * @param endpoints client URLs, e.g. {@code http://127.0.0.1:17501}
   */
  public EtcdDriver(List<String> endpoints) {
    this(endpoints, SystemKind.ETCD);
  }

  /**
   * @param system the system the endpoints belong to: etcd, or aimstore through its etcd API (the
   *     driver does the same either way)
   */
  public EtcdDriver(List<String> endpoints, SystemKind system) {
    this(endpoints, system, null);
  }

  /**
   * @param tls mutual TLS with these files (aimstore's etcd API on a secure cluster); null for
   *     plaintext
   */
  public EtcdDriver(List<String> endpoints, SystemKind system, TlsFiles tls) {
    this.endpoints = List.copyOf(endpoints);
    this.system = system;
    ClientBuilder b = Client.builder().endpoints(endpoints.toArray(String[]::new));
    if (tls != null) {
      try {
        b.sslContext(
            ssl ->
                ssl.trustManager(tls.caFile().toFile())
                    .keyManager(tls.certFile().toFile(), tls.keyFile().toFile()));
      } catch (SSLException e) {
        throw new IllegalArgumentException("cannot use the TLS files " + tls.certFile(), e);
      }
    }
    this.client = b.build();
    this.kv = client.getKVClient();
  }

  @Override
  public SystemKind system() {
    return system;
  }

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
  public CompletableFuture<Long> grant(Duration ttl) {
    return client.getLeaseClient().grant(seconds(ttl)).thenApply(r -> r.getID());
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value, long lease) {
    return kv.put(
            bytes(key), ByteSequence.from(value), PutOption.builder().withLeaseId(lease).build())
        .thenApply(r -> r.getHeader().getRevision());
  }

  @Override
  public CompletableFuture<Void> revoke(long lease) {
    return client.getLeaseClient().revoke(lease).thenApply(r -> null);
  }

  @Override
  public KeepAliveStreams keepAliveStreams(String address, int streams) {
    return new MultiplexedKeepAlive<>(
        address,
        streams,
        new MultiplexedKeepAlive.Protocol<>(
            (channel, responses) -> LeaseGrpc.newStub(channel).leaseKeepAlive(responses),
            lease -> LeaseKeepAliveRequest.newBuilder().setID(lease).build(),
            LeaseKeepAliveResponse::getID,
            r -> r.getTTL() * 1000));
  }

  @Override
  public LockClient newLockClient(Duration ttl) throws Exception {
    KeptLease own = KeptLease.grant(endpoints, ttl);
    return LockClient.of(
        (name, wait) -> {
          ByteSequence key =
              own.client
                  .getLockClient()
                  .lock(bytes("/bench/locks/" + name), own.lease)
                  .get(wait.toMillis(), TimeUnit.MILLISECONDS)
                  .getKey();
          return () -> own.client.getLockClient().unlock(key).get(30, TimeUnit.SECONDS);
        },
        own::close);
  }

  @Override
  public Watchers watchers(String address, int clients) {
    return new EtcdWatchStreams(address, clients);
  }

  @Override
  public AutoCloseable watchPrefixFrom(
      String address, String prefix, long fromRevision, LongConsumer onRevision) {
    EtcdWatchStreams streams = new EtcdWatchStreams(address, 1);
    com.google.protobuf.ByteString p = EtcdWatchStreams.utf8(prefix);
    streams.create(
        0,
        WatchCreateRequest.newBuilder()
            .setKey(p)
            .setRangeEnd(EtcdWatchStreams.prefixEnd(p))
            .setStartRevision(fromRevision)
            .build(),
        (events, now) -> {
          for (Event e : events) {
            onRevision.accept(e.getKv().getModRevision());
          }
        });
    return streams::close;
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public SessionKey holdKey(String key, byte[] value, Duration ttl) throws Exception {
    KeptLease own = KeptLease.grant(endpoints, ttl);
    try {
      own.client
          .getKVClient()
          .put(
              bytes(key),
              ByteSequence.from(value),
              PutOption.builder().withLeaseId(own.lease).build())
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      own.close();
      throw e;
    }
    return SessionKey.of(seconds(ttl) * 1000, own::close);
  }

  /**
   * A client of its own with a lease it keeps alive, as a holder's session: closing it revokes the
   * lease (which otherwise expires by itself) and closes the client.
   */
  private static final class KeptLease implements AutoCloseable {
    final Client client;
    final long lease;
    private final CloseableClient keepAlive;

    private KeptLease(Client client, long lease, CloseableClient keepAlive) {
      this.client = client;
      this.lease = lease;
      this.keepAlive = keepAlive;
    }

    static KeptLease grant(List<String> endpoints, Duration ttl) throws Exception {
      Client own = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
      try {
        long lease = own.getLeaseClient().grant(seconds(ttl)).get(30, TimeUnit.SECONDS).getID();
        return new KeptLease(own, lease, own.getLeaseClient().keepAlive(lease, IGNORED));
      } catch (Exception e) {
        own.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        keepAlive.close();
        client.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the lease expires by itself
      } finally {
        client.close();
      }
    }
  }

  /** Keep-alive responses nobody reads: the lease only has to stay alive. */
  private static final StreamObserver<io.etcd.jetcd.lease.LeaseKeepAliveResponse> IGNORED =
      new StreamObserver<>() {
        @Override
        public void onNext(io.etcd.jetcd.lease.LeaseKeepAliveResponse r) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };

  private static long seconds(Duration ttl) {
    return Math.max(1, (ttl.toMillis() + 999) / 1000);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
