package io.aimstore.client.impl;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import io.aimstore.client.KV;
import io.aimstore.client.LockHandle;
import io.aimstore.client.Locks;
import io.aimstore.client.Session;
import io.aimstore.client.Watch;
import io.aimstore.client.WatchHandle;
import io.aimstore.client.WatchListener;
import io.aimstore.client.WatchOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A held lock: watches its own claim key, so it reports LOST the moment the claim is deleted
 * (force-release, lease expiry), and follows its session's state.
 */
final class LockHandleImpl implements LockHandle {
  private final String name;
  private final long token;
  private final Locks locks;
  private final KV kv;
  private final CompletableFuture<State> ended = new CompletableFuture<>();
  private final WatchHandle claimWatch;
  private volatile State state = State.HELD;

  LockHandleImpl(
      String name,
      long token,
      ByteString claimKey,
      Session session,
      Locks locks,
      KV kv,
      Watch watch) {
    this.name = name;
    this.token = token;
    this.locks = locks;
    this.kv = kv;
    session.addListener(
        (s, from, to) -> {
          if (to == Session.State.LOST || to == Session.State.CLOSED) {
            end(State.LOST);
          }
        });
    if (session.state() == Session.State.LOST) {
      end(State.LOST);
    }
    this.claimWatch =
        watch.watch(
            new WatchOptions(claimKey, ByteString.EMPTY, token + 1, false, true, false, false),
            new WatchListener() {
              @Override
              public void onRevision(long revision, List<Event> events) {
                end(State.LOST); // the claim was deleted: released elsewhere, forced, or expired
              }

              @Override
              public void onCompacted(long compactRevision) {
                end(State.LOST); // cannot vouch for the claim any more
              }
            });
  }

  private synchronized void end(State s) {
    if (state == State.HELD) {
      state = s;
      ended.complete(s);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long token() {
    return token;
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public CompletableFuture<State> ended() {
    return ended;
  }

  @Override
  public CompletableFuture<PutResponse> put(PutRequest request) {
    return kv.put(request.toBuilder().setFence(fence()).build());
  }

  @Override
  public CompletableFuture<DeleteRangeResponse> delete(DeleteRangeRequest request) {
    return kv.delete(request.toBuilder().setFence(fence()).build());
  }

  @Override
  public CompletableFuture<TxnResponse> txn(TxnRequest request) {
    return kv.txn(request.toBuilder().setFence(fence()).build());
  }

  @Override
  public void close() {
    boolean release;
    synchronized (this) {
      release = state == State.HELD;
      if (release) {
        state = State.RELEASED;
      }
    }
    claimWatch.close();
    if (release) {
      try {
        locks.release(name, token).get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the lease going away releases it anyway
      }
      ended.complete(State.RELEASED);
    }
  }
}
