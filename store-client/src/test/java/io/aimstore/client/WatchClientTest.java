package io.aimstore.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KVGrpc;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.api.v1.WatchCreateRequest;
import io.aimstore.api.v1.WatchGrpc;
import io.aimstore.api.v1.WatchRequest;
import io.aimstore.api.v1.WatchResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client side of watches against scripted members: what the client asks for when it resumes,
 * and what it hands the application when a member repeats itself or history was compacted.
 */
class WatchClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<FakeMember> members = new ArrayList<>();
  private final List<AimStoreClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(AimStoreClient::close);
    members.forEach(FakeMember::close);
  }

  /** A member whose watch responses and range answers the test writes. */
  static final class FakeMember {
    final BlockingQueue<WatchRequest> watchRequests = new LinkedBlockingQueue<>();
    final BlockingQueue<RangeResponse> ranges = new LinkedBlockingQueue<>();
    final AtomicReference<StreamObserver<WatchResponse>> stream = new AtomicReference<>();
    final Server server;

    FakeMember() throws IOException {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(
                  new WatchGrpc.WatchImplBase() {
                    @Override
                    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
                      stream.set(out);
                      return new StreamObserver<>() {
                        @Override
                        public void onNext(WatchRequest r) {
                          watchRequests.add(r);
                        }

                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onCompleted() {}
                      };
                    }
                  })
              .addService(
                  new KVGrpc.KVImplBase() {
                    @Override
                    public void range(RangeRequest req, StreamObserver<RangeResponse> out) {
                      try {
                        RangeResponse r = ranges.poll(10, TimeUnit.SECONDS);
                        if (r == null) {
                          out.onError(Status.INTERNAL.withDescription("unscripted").asException());
                        } else {
                          out.onNext(r);
                          out.onCompleted();
                        }
                      } catch (InterruptedException e) {
                        out.onError(e);
                      }
                    }
                  })
              .build()
              .start();
    }

    String endpoint() {
      return "127.0.0.1:" + server.getPort();
    }

    /** The next create request (progress requests from the client's probe are skipped). */
    WatchCreateRequest nextCreate() throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        WatchRequest r = watchRequests.poll(100, TimeUnit.MILLISECONDS);
        if (r != null && r.hasCreateRequest()) {
          return r.getCreateRequest();
        }
      }
      throw new AssertionError("no create request on " + endpoint());
    }

    synchronized void send(WatchResponse r) {
      stream.get().onNext(r);
    }

    synchronized void breakStream() {
      stream.get().onError(Status.UNAVAILABLE.withDescription("member stopped").asException());
    }

    void close() {
      server.shutdownNow();
    }
  }

  private FakeMember member() throws IOException {
    FakeMember m = new FakeMember();
    members.add(m);
    return m;
  }

  private AimStoreClient client(FakeMember... ms) {
    List<String> endpoints = new ArrayList<>();
    for (FakeMember m : ms) {
      endpoints.add(m.endpoint());
    }
    AimStoreClient c =
        AimStoreClient.builder()
            .endpoints(endpoints)
            .requestTimeout(Duration.ofSeconds(10))
            .attemptTimeout(Duration.ofSeconds(5))
            .build();
    clients.add(c);
    return c;
  }

  private static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }

  private static WatchResponse created(long id, long revision) {
    return WatchResponse.newBuilder()
        .setHeader(header(revision))
        .setWatchId(id)
        .setCreated(true)
        .build();
  }

  private static KeyValue kv(String key, String value, long mod, long token) {
    return KeyValue.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setValue(ByteString.copyFromUtf8(value))
        .setModRevision(mod)
        .setCreateRevision(1)
        .setVersion(1)
        .setFenceToken(token)
        .build();
  }

  private static WatchResponse put(long id, String key, String value, long rev, long token) {
    return WatchResponse.newBuilder()
        .setHeader(header(rev))
        .setWatchId(id)
        .addEvents(
            Event.newBuilder().setType(Event.EventType.PUT).setKv(kv(key, value, rev, token)))
        .build();
  }

  private static WatchResponse delete(long id, String key, long rev) {
    return WatchResponse.newBuilder()
        .setHeader(header(rev))
        .setWatchId(id)
        .addEvents(
            Event.newBuilder()
                .setType(Event.EventType.DELETE)
                .setKv(
                    KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setModRevision(rev)))
        .build();
  }

  private static WatchResponse progress(long id, long rev) {
    return WatchResponse.newBuilder()
        .setHeader(header(rev))
        .setWatchId(id)
        .setProgress(true)
        .build();
  }

  private static WatchResponse compacted(long id, long compactRevision) {
    return WatchResponse.newBuilder()
        .setHeader(header(compactRevision + 5))
        .setWatchId(id)
        .setCanceled(true)
        .setCompactRevision(compactRevision)
        .setCancelReason("compacted")
        .build();
  }

  private static RangeResponse range(long revision, KeyValue... kvs) {
    return RangeResponse.newBuilder()
        .setHeader(header(revision))
        .addAllKvs(List.of(kvs))
        .setCount(kvs.length)
        .build();
  }

  /** Everything a listener was told, in order, as text. */
  static final class Calls implements WatchListener, ConfigWatcher.Listener {
    final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

    @Override
    public void onRevision(long revision, List<Event> events) {
      calls.add("rev " + revision);
    }

    @Override
    public void onProgress(long revision) {
      calls.add("progress " + revision);
    }

    @Override
    public void onCompacted(long compactRevision) {
      calls.add("compacted " + compactRevision);
    }

    @Override
    public void onCanceled(String reason) {
      calls.add("canceled " + reason);
    }

    @Override
    public void onConfig(KeyValue config) {
      calls.add("config " + config.getValue().toStringUtf8() + "@" + config.getModRevision());
    }

    @Override
    public void onRejected(KeyValue config, String reason) {
      calls.add("rejected " + config.getValue().toStringUtf8() + "@" + config.getModRevision());
    }

    @Override
    public void onDeleted(long revision) {
      calls.add("deleted " + revision);
    }

    String next() throws InterruptedException {
      String c = calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(c).as("a listener call within %s", WAIT).isNotNull();
      return c;
    }

    void nothingMore() throws InterruptedException {
      assertThat(calls.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void aBrokenStreamResumesOnTheNextMemberFromTheLastRevisionPlusOneAndDropsRepeats()
      throws Exception {
    FakeMember a = member();
    FakeMember b = member();
    AimStoreClient client = client(a, b);
    Calls calls = new Calls();
    WatchHandle h =
        client.watch().watch(WatchOptions.prefix("/w/").fromRevision(5).withPrevKv(), calls);

    WatchCreateRequest first = a.nextCreate();
    assertThat(first.getStartRevision()).isEqualTo(5);
    assertThat(first.getPrevKv()).isTrue();
    assertThat(first.getKey().toStringUtf8()).isEqualTo("/w/");
    assertThat(first.getRangeEnd().toStringUtf8()).isEqualTo("/w0");
    long id = first.getWatchId();
    a.send(created(id, 4));
    a.send(put(id, "/w/x", "1", 5, 0));
    a.send(put(id, "/w/x", "2", 6, 0));
    a.send(progress(id, 8));
    assertThat(calls.next()).isEqualTo("rev 5");
    assertThat(calls.next()).isEqualTo("rev 6");
    assertThat(calls.next()).isEqualTo("progress 8");
    assertThat(h.lastRevision()).isEqualTo(8);
    a.breakStream();

    WatchCreateRequest resumed = b.nextCreate();
    assertThat(resumed.getStartRevision()).as("last revision (a progress note) + 1").isEqualTo(9);
    assertThat(resumed.getWatchId()).isEqualTo(id);
    assertThat(resumed.getPrevKv()).isTrue();
    b.send(created(id, 8));
    // a member that has applied less than the last one: its bookmark is behind what was delivered
    b.send(progress(id, 7));
    assertThat(calls.next()).as("progress never goes back").isEqualTo("progress 8");
    b.send(put(id, "/w/x", "2", 6, 0)); // a member repeating what was delivered
    b.send(put(id, "/w/x", "3", 9, 0));
    b.send(put(id, "/w/y", "1", 10, 0));
    assertThat(calls.next()).isEqualTo("rev 9");
    assertThat(calls.next()).isEqualTo("rev 10");
    calls.nothingMore();
    assertThat(h.lastRevision()).isEqualTo(10);

    b.send(compacted(id, 20));
    assertThat(calls.next()).isEqualTo("compacted 20");
    assertThat(h.isDone()).isTrue();
    b.send(put(id, "/w/x", "4", 21, 0)); // after the end: ignored
    calls.nothingMore();
  }

  @Test
  void configWatcherResyncsAfterCompactionWithoutRepeatsAndReportsADeleteItMissed()
      throws Exception {
    FakeMember m = member();
    AimStoreClient client = client(m);
    Calls calls = new Calls();
    String key = "/aim/d1/config";
    m.ranges.add(range(12, kv(key, "v1", 10, 0)));
    ConfigWatcher cw = ConfigWatcher.start(client, key, calls);
    assertThat(calls.next()).isEqualTo("config v1@10");

    WatchCreateRequest w1 = m.nextCreate();
    assertThat(w1.getStartRevision()).isEqualTo(13);
    m.send(created(w1.getWatchId(), 12));
    m.send(put(w1.getWatchId(), key, "v2", 13, 0));
    assertThat(calls.next()).isEqualTo("config v2@13");

    // history compacted: read again (the same value: not handed out twice) and watch on
    m.ranges.add(range(20, kv(key, "v2", 13, 0)));
    m.send(compacted(w1.getWatchId(), 20));
    WatchCreateRequest w2 = m.nextCreate();
    assertThat(w2.getStartRevision()).isEqualTo(21);
    m.send(created(w2.getWatchId(), 20));
    m.send(put(w2.getWatchId(), key, "v3", 22, 50));
    m.send(put(w2.getWatchId(), key, "v4", 23, 40)); // an older fencing token
    m.send(put(w2.getWatchId(), key, "v5", 24, 0));
    assertThat(calls.next()).isEqualTo("config v3@22");
    assertThat(calls.next()).isEqualTo("rejected v4@23");
    assertThat(calls.next()).isEqualTo("config v5@24");
    assertThat(cw.highestAppliedToken()).isEqualTo(50);

    // compacted again, and the key was deleted meanwhile: the drone must hear of it
    m.ranges.add(range(31));
    m.send(compacted(w2.getWatchId(), 30));
    assertThat(calls.next()).isEqualTo("deleted 31");
    WatchCreateRequest w3 = m.nextCreate();
    assertThat(w3.getStartRevision()).isEqualTo(32);
    m.send(created(w3.getWatchId(), 31));
    m.send(put(w3.getWatchId(), key, "v6", 34, 0));
    m.send(delete(w3.getWatchId(), key, 35));
    assertThat(calls.next()).isEqualTo("config v6@34");
    assertThat(calls.next()).isEqualTo("deleted 35");
    calls.nothingMore();
    cw.close();
  }
}
