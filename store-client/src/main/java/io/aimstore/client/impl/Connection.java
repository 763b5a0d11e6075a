package io.aimstore.client.impl;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.aimstore.client.AimStoreException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Channels to every endpoint and the failover policy: calls go to the current endpoint; when it is
 * unreachable the call moves to the next one, with exponential backoff, until the request deadline.
 * A call is repeated only when that is safe: reads always; writes only when the store said it did
 * not apply them, or the connection was refused before the request left.
 */
public final class Connection implements AutoCloseable {
  /** Which failures a call may be retried after. */
  public enum Retry {
    /** Reads and other idempotent calls: retry any unavailability. */
    IDEMPOTENT,
    /**
     * Idempotent calls the leader answers (lock release, keep-alive, views with deadlines): retry
     * any unavailability, and go to the leader when it is known instead of through a follower.
     */
    IDEMPOTENT_AT_LEADER,
    /** Writes: retry only when the store certainly did not apply the request. */
    IF_NOT_APPLIED,
    /**
     * Idempotent calls that wait on purpose (lock acquisition): retry when a member is unreachable,
     * but a deadline answered by the store is its answer.
     */
    IF_UNAVAILABLE
  }

  private static final long BACKOFF_MIN_MS = 50;
  private static final long BACKOFF_MAX_MS = 1000;

  private final List<String> endpoints;
  private final ManagedChannel[] channels;
  private final AtomicInteger current;

  /** Index of the endpoint that leads, -1 when unknown (writes go there to skip a hop). */
  private final AtomicInteger leader = new AtomicInteger(-1);

  private final Duration requestTimeout;
  private final Duration attemptTimeout;
  private final ScheduledExecutorService scheduler;
  private volatile boolean closed;

  public Connection(List<String> endpoints, Duration requestTimeout, Duration attemptTimeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoints given");
    }
    this.endpoints = List.copyOf(endpoints);
    this.channels = new ManagedChannel[endpoints.size()];
    for (int i = 0; i < channels.length; i++) {
      channels[i] =
          NettyChannelBuilder.forTarget(endpoints.get(i))
              .usePlaintext()
              .intercept(new LeaderHints(this::leaderSeen))
              .keepAliveTime(10, TimeUnit.SECONDS)
              .keepAliveTimeout(3, TimeUnit.SECONDS)
              .maxInboundMessageSize(64 * 1024 * 1024)
              .build();
    }
    this.current = new AtomicInteger(0);
    this.requestTimeout = requestTimeout;
    this.attemptTimeout = attemptTimeout;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "aimstore-client-retry");
              t.setDaemon(true);
              return t;
            });
  }

  public List<String> endpoints() {
    return endpoints;
  }

  /** Index of the endpoint calls go to now. */
  public int currentIndex() {
    return current.get();
  }

  public Channel channel(int index) {
    return channels[index];
  }

  private void leaderSeen(String address) {
    int i = endpoints.indexOf(address);
    if (i >= 0) {
      leader.set(i);
    }
  }

  /** Where a call with this retry policy goes: writes to the known leader, reads anywhere. */
  private int target(Retry retry) {
    int l = leader.get();
    return retry != Retry.IDEMPOTENT && l >= 0 ? l : current.get();
  }

  /** Moves to the endpoint after {@code from}, unless another call already moved on. */
  public void failover(int from) {
    leader.compareAndSet(from, -1);
    current.compareAndSet(from, (from + 1) % channels.length);
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Runs {@code task} after {@code delayMs}, unless the client has been closed. */
  public void schedule(Runnable task, long delayMs) {
    if (!closed) {
      try {
        scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Options for one attempt: its own deadline, so a hung member is left in time. */
  public CallOptions attemptOptions() {
    return CallOptions.DEFAULT.withDeadlineAfter(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs a unary call against the current endpoint, failing over as the policy allows.
   *
   * @param call starts the call on a channel
   */
  public <T> CompletableFuture<T> call(Function<Channel, ListenableFuture<T>> call, Retry retry) {
    return call(call, retry, requestTimeout);
  }

  /** Like {@link #call(Function, Retry)} with its own total time (for calls that wait). */
  public <T> CompletableFuture<T> call(
      Function<Channel, ListenableFuture<T>> call, Retry retry, Duration total) {
    CompletableFuture<T> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + total.toNanos();
    attempt(call, retry, result, deadline, 0);
    return result;
  }

  private <T> void attempt(
      Function<Channel, ListenableFuture<T>> call,
      Retry retry,
      CompletableFuture<T> result,
      long deadline,
      int attempt) {
    int index = target(retry);
    ListenableFuture<T> f;
    try {
      f = call.apply(channels[index]);
    } catch (RuntimeException e) {
      result.completeExceptionally(AimStoreException.from(e));
      return;
    }
    Futures.addCallback(
        f,
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T value) {
            result.complete(value);
          }

          @Override
          public void onFailure(Throwable t) {
            AimStoreException e = AimStoreException.from(t);
            long backoff = backoffMs(attempt);
            if (retryable(e, t, retry) && System.nanoTime() + backoff * 1_000_000 < deadline) {
              failover(index);
              scheduler.schedule(
                  () -> attempt(call, retry, result, deadline, attempt + 1),
                  backoff,
                  TimeUnit.MILLISECONDS);
            } else {
              result.completeExceptionally(withEndpoint(e, index));
            }
          }
        },
        MoreExecutors.directExecutor());
  }

  private AimStoreException withEndpoint(AimStoreException e, int index) {
    if (e.code() != Status.Code.UNAVAILABLE && e.code() != Status.Code.DEADLINE_EXCEEDED) {
      return e;
    }
    return new AimStoreException(
        e.code(),
        e.getMessage()
            + " (endpoints "
            + String.join(",", endpoints)
            + "; last tried "
            + endpoints.get(index)
            + ")",
        e.retrySafe(),
        e.getCause());
  }

  static boolean retryable(AimStoreException e, Throwable raw, Retry retry) {
    Status.Code code = e.code();
    if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
      return false;
    }
    if (retry == Retry.IF_UNAVAILABLE) {
      return code == Status.Code.UNAVAILABLE;
    }
    if (retry == Retry.IDEMPOTENT || retry == Retry.IDEMPOTENT_AT_LEADER || e.retrySafe()) {
      return true;
    }
    return code == Status.Code.UNAVAILABLE && neverSent(raw);
  }

  /** The connection was refused: the request never reached a member. */
  private static boolean neverSent(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  static long backoffMs(int attempt) {
    long base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS << Math.min(attempt, 5));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      try {
        c.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
