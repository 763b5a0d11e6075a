package io.aimstore.client.impl;

import io.aimstore.api.v1.LeaseGrpc;
import io.aimstore.api.v1.LeaseKeepAliveRequest;
import io.aimstore.api.v1.LeaseKeepAliveResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One bidirectional keep-alive stream per client, shared by every lease it keeps alive. Opened on
 * first use against the current endpoint; when it breaks, every lease is told and the next send
 * opens a new stream (on the next endpoint if the member was unreachable).
 */
public final class KeepAliveStream {
  /** Receives the responses for one lease, and stream failures. */
  public interface Listener {
    void onResponse(LeaseKeepAliveResponse response);

    void onBroken(Throwable cause);
  }

  private final Connection conn;
  private final Map<Long, Listener> listeners = new ConcurrentHashMap<>();
  private StreamObserver<LeaseKeepAliveRequest> requests;
  private ClientCallStreamObserver<LeaseKeepAliveRequest> call;
  private int endpoint;

  public KeepAliveStream(Connection conn) {
    this.conn = conn;
  }

  public void register(long id, Listener listener) {
    listeners.put(id, listener);
  }

  public void unregister(long id) {
    listeners.remove(id);
  }

  /** Sends a keep-alive for {@code id}, opening the stream if needed. */
  public synchronized void send(long id) {
    if (requests == null) {
      open();
    }
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setId(id).build());
  }

  /** Abandons the current stream (it seems stuck) and moves to the next endpoint. */
  public synchronized void reset() {
    if (call != null) {
      call.cancel("keep-alives unanswered; trying another member", null);
      conn.failover(endpoint);
    }
    requests = null;
    call = null;
  }

  private void open() {
    endpoint = conn.currentIndex();
    int opened = endpoint;
    requests =
        LeaseGrpc.newStub(conn.channel(opened))
            .keepAlive(
                new ClientResponseObserver<LeaseKeepAliveRequest, LeaseKeepAliveResponse>() {
                  @Override
                  public void beforeStart(ClientCallStreamObserver<LeaseKeepAliveRequest> c) {
                    call = c;
                  }

                  @Override
                  public void onNext(LeaseKeepAliveResponse r) {
                    Listener l = listeners.get(r.getId());
                    if (l != null) {
                      l.onResponse(r);
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    broken(opened, t);
                  }

                  @Override
                  public void onCompleted() {
                    broken(
                        opened,
                        Status.UNAVAILABLE
                            .withDescription("keep-alive stream closed")
                            .asRuntimeException());
                  }
                });
  }

  private void broken(int opened, Throwable t) {
    synchronized (this) {
      if (endpoint == opened && requests != null) {
        requests = null;
        call = null;
        Status.Code code = Status.fromThrowable(t).getCode();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
          conn.failover(opened);
        }
      }
    }
    listeners.values().forEach(l -> l.onBroken(t));
  }
}
