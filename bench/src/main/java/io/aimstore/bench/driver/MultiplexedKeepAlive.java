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

/**
 * {@link KeepAliveStreams} over a store's gRPC keep-alive stream (aimstore's and etcd's have the
 * same shape: a request names a lease, its response names it again with the remaining TTL). One
 * channel, {@code streams} streams on it; responses are matched to requests by lease id. A stream
 * that breaks fails what is pending on it and every later send on it.
 *
 * @param <Q> request message
 * @param <R> response message
 */
abstract class MultiplexedKeepAlive<Q, R> implements KeepAliveStreams {
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
      requests.onNext(request(lease));
    }

    @Override
    public void onNext(R r) {
      CompletableFuture<Long> f = pending.remove(id(r));
      if (f != null) {
        f.complete(ttlMs(r));
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

  MultiplexedKeepAlive(String address, int count) {
    this.channel = RawGrpc.channel(address);
    for (int i = 0; i < count; i++) {
      Stream s = new Stream();
      s.requests = open(channel, s);
      streams.add(s);
    }
  }

  /** Opens one keep-alive stream on {@code channel}, its responses going to {@code responses}. */
  abstract StreamObserver<Q> open(Channel channel, StreamObserver<R> responses);

  abstract Q request(long lease);

  abstract long id(R response);

  /** Remaining TTL in milliseconds; 0 when the lease is gone. */
  abstract long ttlMs(R response);

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
