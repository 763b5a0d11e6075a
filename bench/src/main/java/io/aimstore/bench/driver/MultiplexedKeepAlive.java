package io.aimstore.bench.driver;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * {@link KeepAliveStreams} over a store's gRPC keep-alive stream (aimstore's and etcd's have the
 * same shape: a request names a lease, its response names it again with the remaining TTL). One
 * channel, {@code streams} streams on it; responses are matched to requests by lease id. A stream
 * that breaks fails what is pending on it and every later send on it.
 *
 * @param <Q> request message
 * @param <R> response message
 */
final class MultiplexedKeepAlive<Q, R> implements KeepAliveStreams {

  /**
   * How one store's keep-alive stream speaks.
   *
   * @param open opens one stream on a channel, its responses going to the given observer
   * @param request the request that keeps a lease alive
   * @param id the lease a response is about
   * @param ttlMs a response's remaining TTL in milliseconds; 0 when the lease is gone
   */
  record Protocol<Q, R>(
      BiFunction<Channel, StreamObserver<R>, StreamObserver<Q>> open,
      LongFunction<Q> request,
      ToLongFunction<R> id,
      ToLongFunction<R> ttlMs) {}

  private final Protocol<Q, R> protocol;
  private final ManagedChannel channel;
  private final List<Stream> streams = new ArrayList<>();

  private final class Stream implements StreamObserver<R> {
    final Map<Long, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
    StreamObserver<Q> requests;
    volatile Throwable broken;

    synchronized void send(long lease, CompletableFuture<Long> f) {
      if (broken != null) {
        f.completeExceptionally(broken);
        return;
      }
      if (pending.putIfAbsent(lease, f) != null) {
        f.completeExceptionally(
            new IllegalStateException("lease " + lease + " already has a keep-alive outstanding"));
        return;
      }
      requests.onNext(protocol.request().apply(lease));
    }

    @Override
    public void onNext(R r) {
      CompletableFuture<Long> f = pending.remove(protocol.id().applyAsLong(r));
      if (f != null) {
        f.complete(protocol.ttlMs().applyAsLong(r));
      }
    }

    @Override
    public void onError(Throwable t) {
      fail(t);
    }

    @Override
    public void onCompleted() {
      fail(Status.UNAVAILABLE.withDescription("keep-alive stream closed").asRuntimeException());
    }

    void fail(Throwable t) {
      broken = t;
      for (Long id : List.copyOf(pending.keySet())) {
        CompletableFuture<Long> f = pending.remove(id);
        if (f != null) {
          f.completeExceptionally(t);
        }
      }
    }
  }

  MultiplexedKeepAlive(String address, int count, Protocol<Q, R> protocol) {
    this.protocol = protocol;
    this.channel = RawGrpc.channel(address);
    for (int i = 0; i < count; i++) {
      Stream s = new Stream();
      s.requests = protocol.open().apply(channel, s);
      streams.add(s);
    }
  }

  @Override
  public int streams() {
    return streams.size();
  }

  @Override
  public CompletableFuture<Long> keepAlive(int stream, long lease) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    streams.get(Math.floorMod(stream, streams.size())).send(lease, f);
    return f;
  }

  @Override
  public void close() {
    for (Stream s : streams) {
      synchronized (s) {
        try {
          s.requests.onCompleted();
        } catch (RuntimeException e) {
          // already broken
        }
      }
    }
    RawGrpc.close(channel);
  }
}
