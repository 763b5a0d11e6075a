package io.aimstore.server.api.etcd;

import io.aimstore.etcd.api.WatchCreateRequest;
import io.aimstore.etcd.api.WatchGrpc;
import io.aimstore.etcd.api.WatchRequest;
import io.aimstore.etcd.api.WatchResponse;
import io.aimstore.etcd.api.mvcc.Event;
import io.aimstore.server.api.WatchService;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * etcd's Watch service, served by aimstore's {@link WatchService} on the same stream: every create,
 * cancel and progress request goes to it, every response comes back translated. A watch that asked
 * for {@code fragment} has a large revision split over several responses, as etcd does.
 */
final class EtcdWatchService extends WatchGrpc.WatchImplBase {
  /** A response whose events are larger than this is fragmented when the watch allows it. */
  static final int FRAGMENT_BYTES = 1536 * 1024;

  private final WatchService watch;

  EtcdWatchService(WatchService watch) {
    this.watch = watch;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
    ServerCallStreamObserver<WatchResponse> call =
        (ServerCallStreamObserver<WatchResponse>) responses;
    // ids of this stream's watches that allow fragments; the ids are chosen here, so that it is
    // known which create a response belongs to
    Map<Long, Boolean> fragments = new ConcurrentHashMap<>();
    AtomicLong nextId = new AtomicLong();
    StreamObserver<io.aimstore.api.v1.WatchRequest> upstream =
        watch.watch(
            new CallRelay<io.aimstore.api.v1.WatchResponse, WatchResponse>(
                call,
                r -> {
                  boolean fragment = Boolean.TRUE.equals(fragments.get(r.getWatchId()));
                  if (r.getCanceled()) {
                    fragments.remove(r.getWatchId());
                  }
                  for (WatchResponse out : translate(r, fragment ? FRAGMENT_BYTES : 0)) {
                    call.onNext(out);
                  }
                }));
    return new StreamObserver<>() {
      @Override
      public void onNext(WatchRequest req) {
        switch (req.getRequestUnionCase()) {
          case CREATE_REQUEST -> {
            WatchCreateRequest c = req.getCreateRequest();
            long id = c.getWatchId();
            if (id == 0) {
              do {
                id = nextId.incrementAndGet();
              } while (fragments.containsKey(id));
            }
            fragments.putIfAbsent(id, c.getFragment());
            upstream.onNext(
                io.aimstore.api.v1.WatchRequest.newBuilder()
                    .setCreateRequest(create(c, id))
                    .build());
          }
          case CANCEL_REQUEST ->
              upstream.onNext(
                  io.aimstore.api.v1.WatchRequest.newBuilder()
                      .setCancelRequest(
                          io.aimstore.api.v1.WatchCancelRequest.newBuilder()
                              .setWatchId(req.getCancelRequest().getWatchId()))
                      .build());
          case PROGRESS_REQUEST ->
              upstream.onNext(
                  io.aimstore.api.v1.WatchRequest.newBuilder()
                      .setProgressRequest(
                          io.aimstore.api.v1.WatchProgressRequest.getDefaultInstance())
                      .build());
          default -> {}
        }
      }

      @Override
      public void onError(Throwable t) {
        upstream.onError(t);
      }

      @Override
      public void onCompleted() {
        upstream.onCompleted();
      }
    };
  }

  static io.aimstore.api.v1.WatchCreateRequest create(WatchCreateRequest c, long id) {
    io.aimstore.api.v1.WatchCreateRequest.Builder b =
        io.aimstore.api.v1.WatchCreateRequest.newBuilder()
            .setKey(c.getKey())
            .setRangeEnd(c.getRangeEnd())
            .setStartRevision(c.getStartRevision())
            .setProgressNotify(c.getProgressNotify())
            .setPrevKv(c.getPrevKv())
            .setWatchId(id);
    for (WatchCreateRequest.FilterType f : c.getFiltersList()) {
      b.addFilters(
          f == WatchCreateRequest.FilterType.NODELETE
              ? io.aimstore.api.v1.WatchCreateRequest.FilterType.NODELETE
              : io.aimstore.api.v1.WatchCreateRequest.FilterType.NOPUT);
    }
    return b.build();
  }

  /**
   * One aimstore response as etcd responses: one, or with {@code fragmentBytes > 0} as many as it
   * takes to keep each one's events under that size (all but the last marked {@code fragment}). A
   * progress notification is an empty response; a compacted start revision is etcd's compaction
   * cancel.
   */
  static List<WatchResponse> translate(io.aimstore.api.v1.WatchResponse r, int fragmentBytes) {
    WatchResponse.Builder head =
        WatchResponse.newBuilder()
            .setHeader(EtcdMessages.header(r.getHeader()))
            .setWatchId(r.getWatchId())
            .setCreated(r.getCreated())
            .setCanceled(r.getCanceled())
            .setCompactRevision(r.getCompactRevision())
            .setCancelReason(
                r.getCompactRevision() != 0 ? EtcdErrors.COMPACTED : r.getCancelReason());
    List<Event> events = new ArrayList<>(r.getEventsCount());
    for (io.aimstore.api.v1.Event e : r.getEventsList()) {
      events.add(EtcdMessages.event(e));
    }
    if (fragmentBytes <= 0) {
      return List.of(head.addAllEvents(events).build());
    }
    List<WatchResponse> out = new ArrayList<>();
    List<Event> chunk = new ArrayList<>();
    long size = 0;
    for (Event e : events) {
      int s = e.getSerializedSize();
      if (!chunk.isEmpty() && size + s > fragmentBytes) {
        out.add(head.clone().addAllEvents(chunk).setFragment(true).build());
        chunk = new ArrayList<>();
        size = 0;
      }
      chunk.add(e);
      size += s;
    }
    out.add(head.clone().addAllEvents(chunk).build());
    return out;
  }
}
