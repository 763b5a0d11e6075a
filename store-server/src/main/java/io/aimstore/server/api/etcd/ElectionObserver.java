package io.aimstore.server.api.etcd;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.api.v1.WatchCreateRequest;
import io.aimstore.api.v1.WatchRequest;
import io.aimstore.api.v1.WatchResponse;
import io.aimstore.etcd.api.election.LeaderResponse;
import io.aimstore.server.api.KvService;
import io.aimstore.server.api.WatchService;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Observe call: reads an election's keys, then watches them from the next revision, keeping
 * them ordered by create revision; whenever the first one (the leader) changes or posts a new
 * value, the client gets it. Nothing is skipped or repeated: the watch starts right after the read.
 */
final class ElectionObserver {
  private final ByteString prefix;
  private final KvService kv;
  private final WatchService watch;
  private final ServerCallStreamObserver<LeaderResponse> call;
  private final TreeMap<Long, KeyValue> byCreate = new TreeMap<>();
  private final Map<ByteString, Long> createOf = new HashMap<>();
  private final CallRelay<WatchResponse, LeaderResponse> relay;
  private KeyValue sent;

  /** Call it while the Observe call is being set up (it takes the call's handlers). */
  ElectionObserver(
      ByteString prefix,
      KvService kv,
      WatchService watch,
      ServerCallStreamObserver<LeaderResponse> call) {
    this.prefix = prefix;
    this.kv = kv;
    this.watch = watch;
    this.call = call;
    this.relay = new CallRelay<>(call, this::onWatch);
  }

  void start() {
    RangeRequest all =
        RangeRequest.newBuilder().setKey(prefix).setRangeEnd(KeyRanges.prefixEnd(prefix)).build();
    Relay.<RangeResponse>call(o -> kv.range(all, o))
        .whenCompleteAsync(
            (r, err) -> {
              if (err != null) {
                call.onError(EtcdErrors.toEtcd(err));
                return;
              }
              synchronized (this) {
                r.getKvsList().forEach(this::add);
                sendIfChanged(r.getHeader());
              }
              watchFrom(r.getHeader().getRevision() + 1);
            },
            Relay.inCallContext());
  }

  private void watchFrom(long revision) {
    if (call.isCancelled()) {
      return;
    }
    watch
        .watch(relay)
        .onNext(
            WatchRequest.newBuilder()
                .setCreateRequest(
                    WatchCreateRequest.newBuilder()
                        .setKey(prefix)
                        .setRangeEnd(KeyRanges.prefixEnd(prefix))
                        .setStartRevision(revision))
                .build());
  }

  private synchronized void onWatch(WatchResponse r) {
    if (r.getCanceled()) {
      Status s =
          r.getCompactRevision() != 0
              ? Status.OUT_OF_RANGE.withDescription(EtcdErrors.COMPACTED)
              : Status.CANCELLED.withDescription(r.getCancelReason());
      call.onError(s.asRuntimeException());
      return;
    }
    if (r.getEventsCount() == 0) {
      return; // created, or progress
    }
    for (Event e : r.getEventsList()) {
      if (e.getType() == Event.EventType.PUT) {
        add(e.getKv());
      } else {
        Long create = createOf.remove(e.getKv().getKey());
        if (create != null) {
          byCreate.remove(create);
        }
      }
    }
    sendIfChanged(r.getHeader());
  }

  private void add(KeyValue kv) {
    createOf.put(kv.getKey(), kv.getCreateRevision());
    byCreate.put(kv.getCreateRevision(), kv);
  }

  /** Sends the leader if it is another key than last sent, or the same key with a new value. */
  private void sendIfChanged(ResponseHeader header) {
    if (byCreate.isEmpty()) {
      return; // no leader: wait for a campaign
    }
    KeyValue leader = byCreate.firstEntry().getValue();
    if (sent != null
        && sent.getKey().equals(leader.getKey())
        && sent.getModRevision() == leader.getModRevision()) {
      return;
    }
    sent = leader;
    call.onNext(
        LeaderResponse.newBuilder()
            .setHeader(EtcdMessages.header(header))
            .setKv(EtcdMessages.kv(leader))
            .build());
  }
}
