package io.aimstore.bench.driver;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * etcd watches over etcd's gRPC Watch API, many watches multiplexed on one stream per client (each
 * client its own connection), which is what etcd's Go client does. jetcd 0.8 opens a stream per
 * watch instead, and thousands of streams would measure jetcd rather than etcd.
 *
 * <p>The version of etcd's API that jetcd ships cannot name a watch's id in the create request, so
 * a create is matched to its {@code created} response by order: etcd answers the creates of one
 * stream in the order it received them.
 */
final class EtcdWatchStreams implements Watchers {

  /** Receives the events of one watch. */
  interface EventSink {
    void events(List<Event> events, long receivedNanos);
  }

  private final List<Client> clients = new ArrayList<>();

  private static final class Client implements StreamObserver<WatchResponse> {
    final ManagedChannel channel;
    final StreamObserver<WatchRequest> requests;
    final Queue<EventSink> awaitingCreated = new ArrayDeque<>();
    final Map<Long, EventSink> byWatchId = new ConcurrentHashMap<>();

    Client(String address) {
      channel = RawGrpc.channel(address);
      requests = WatchGrpc.newStub(channel).watch(this);
    }

    synchronized void create(WatchCreateRequest create, EventSink sink) {
      awaitingCreated.add(sink);
      requests.onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
    }

    @Override
    public void onNext(WatchResponse r) {
      long now = System.nanoTime();
      if (r.getCreated()) {
        EventSink sink;
        synchronized (this) {
          sink = awaitingCreated.poll();
        }
        if (sink != null && !r.getCanceled()) {
          byWatchId.put(r.getWatchId(), sink);
        }
      }
      if (r.getEventsCount() > 0) {
        EventSink sink = byWatchId.get(r.getWatchId());
        if (sink != null) {
          sink.events(r.getEventsList(), now);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      // the workload notices missing events; nothing to repair in a benchmark
    }

    @Override
    public void onCompleted() {}

    synchronized void close() {
      try {
        requests.onCompleted();
      } catch (RuntimeException e) {
        // already broken
      }
      RawGrpc.close(channel);
    }
  }

  EtcdWatchStreams(String address, int count) {
    for (int i = 0; i < count; i++) {
      clients.add(new Client(address));
    }
  }

  @Override
  public int clients() {
    return clients.size();
  }

  @Override
  public void watch(int client, String key, WatchListener listener) {
    create(
        client,
        WatchCreateRequest.newBuilder().setKey(utf8(key)).build(),
        (events, now) -> {
          for (Event e : events) {
            listener.changed(key, e.getKv().getModRevision(), now);
          }
        });
  }

  /** Sends a create request on client {@code client}; {@code sink} receives its events. */
  void create(int client, WatchCreateRequest create, EventSink sink) {
    clients.get(Math.floorMod(client, clients.size())).create(create, sink);
  }

  @Override
  public void close() {
    clients.forEach(Client::close);
  }

  static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  /** The end of the key range holding every key that starts with {@code prefix}. */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0}); // every key
  }
}
