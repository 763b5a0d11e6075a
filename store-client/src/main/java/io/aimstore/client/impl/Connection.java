package io.aimstore.client.impl;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.AimStoreException.Code;
import io.aimstore.client.AimStoreException.Outcome;
import io.aimstore.client.TlsFiles;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * Channels to every endpoint and the failover policy: calls go to the current endpoint; when it is
 * unreachable the call moves to the next one, with exponential backoff, until the request deadline.
 * A call is repeated only when that is safe: reads always; writes only when the store said it did
 * not apply them, or the request never left this client.
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

  /** An attempt is not started with less time than this left. */
  private static final long MIN_ATTEMPT_MS = 50;

  /**
   * A write's attempt, more: one cut short by the deadline turns a certain "not applied" into
   * "outcome unknown", so a write stops early rather than try with too little time to hear back.
   */
  private static final long MIN_WRITE_ATTEMPT_MS = 250;

  private final List<String> endpoints;
  private final ManagedChannel[] channels;
  private final AtomicInteger current;

  /** Index of the endpoint that leads, -1 when unknown (writes go there to skip a hop). */
  private final AtomicInteger leader = new AtomicInteger(-1);

  private final Duration requestTimeout;
  private final Duration attemptTimeout;
  private final ScheduledExecutorService scheduler;
  private volatile boolean closed;

  /**
   * @param tls mutual TLS with these files; null for plaintext
   */
  public Connection(
      List<String> endpoints, Duration requestTimeout, Duration attemptTimeout, TlsFiles tls) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoints given");
    }
    this.endpoints = List.copyOf(endpoints);
    this.channels = new ManagedChannel[endpoints.size()];
    SslContext ssl = tls == null ? null : sslContext(tls);
    for (int i = 0; i < channels.length; i++) {
      NettyChannelBuilder b = NettyChannelBuilder.forTarget(endpoints.get(i));
      channels[i] =
          (ssl == null ? b.usePlaintext() : b.sslContext(ssl))
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

  /** TLS 1.3 with the client's certificate, trusting the cluster CA only. */
  private static SslContext sslContext(TlsFiles tls) {
    try {
      return GrpcSslContexts.forClient()
          .trustManager(tls.caFile().toFile())
          .keyManager(tls.certFile().toFile(), tls.keyFile().toFile())
          .protocols("TLSv1.3")
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use the TLS files "
              + tls.certFile()
              + " and "
              + tls.keyFile()
              + ": "
              + e.getMessage(),
          e);
    }
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

  /** Time one attempt on one member may take (before the request timeout cuts it shorter). */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /**
   * Runs a unary call against the current endpoint, failing over as the policy allows, within the
   * client's request timeout.
   *
   * @param call starts the call on a channel; the channel sets each attempt's deadline
   */
  public <T> CompletableFuture<T> call(Function<Channel, ListenableFuture<T>> call, Retry retry) {
    return call(call, retry, requestTimeout, attemptTimeout);
  }

  /** {@link #call(Function, Retry)} for one unary method of aimstore's API. */
  public <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request, Retry retry) {
    return call(ch -> unary(ch, method, request), retry);
  }

  /** Starts the unary call {@code method} with {@code request} on {@code ch}. */
  static <Q, R> ListenableFuture<R> unary(Channel ch, MethodDescriptor<Q, R> method, Q request) {
    return ClientCalls.futureUnaryCall(ch.newCall(method, CallOptions.DEFAULT), request);
  }

  /**
   * Like {@link #call(Function, Retry)} with its own total time and time per attempt (for calls
   * that wait on purpose, such as a lock acquisition).
   *
   * <p>A write ({@link Retry#IF_NOT_APPLIED}) gets the whole remaining time in one attempt: once it
   * has been sent, only its answer can say whether it applied, so it is never cut short to try
   * another member. Other calls get at most {@code attempt} per member.
   */
  public <T> CompletableFuture<T> call(
      Function<Channel, ListenableFuture<T>> call, Retry retry, Duration total, Duration attempt) {
    CompletableFuture<T> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + total.toNanos();
    attempt(new Call<>(call, retry, result, deadline, total, attempt), 0);
    return result;
  }

  /** One attempt on endpoint {@code index}, within {@code timeout}: no failover, no retry. */
  public <T> CompletableFuture<T> callOnce(
      int index, Function<Channel, ListenableFuture<T>> call, Duration timeout) {
    CompletableFuture<T> result = new CompletableFuture<>();
    AttemptTrace trace = new AttemptTrace(endpoints.get(index), timeout);
    ListenableFuture<T> f;
    try {
      f = call.apply(ClientInterceptors.intercept(channels[index], trace));
    } catch (RuntimeException e) {
      result.completeExceptionally(Failures.of(e, trace));
      return result;
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
            result.completeExceptionally(Failures.of(t, trace));
          }
        },
        MoreExecutors.directExecutor());
    return result;
  }

  /** One call across its attempts. */
  private record Call<T>(
      Function<Channel, ListenableFuture<T>> start,
      Retry retry,
      CompletableFuture<T> result,
      long deadline,
      Duration total,
      Duration attempt) {}

  private <T> void attempt(Call<T> c, int attempt) {
    int index = target(c.retry);
    long remaining = c.deadline - System.nanoTime();
    Duration budget =
        c.retry == Retry.IF_NOT_APPLIED
            ? Duration.ofNanos(remaining)
            : Duration.ofNanos(Math.min(remaining, c.attempt.toNanos()));
    AttemptTrace trace = new AttemptTrace(endpoints.get(index), budget);
    ListenableFuture<T> f;
    try {
      f = c.start.apply(ClientInterceptors.intercept(channels[index], trace));
    } catch (RuntimeException e) {
      c.result.completeExceptionally(Failures.of(e, trace));
      return;
    }
    Futures.addCallback(
        f,
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T value) {
            c.result.complete(value);
          }

          @Override
          public void onFailure(Throwable t) {
            AimStoreException e = Failures.of(t, trace);
            // Back off, but keep trying until the request's own time is nearly used up.
            long minMs = c.retry == Retry.IF_NOT_APPLIED ? MIN_WRITE_ATTEMPT_MS : MIN_ATTEMPT_MS;
            long leftMs = (c.deadline - System.nanoTime()) / 1_000_000 - minMs;
            long backoff = Math.min(backoffMs(attempt), leftMs);
            if (!closed && retryable(e, c.retry) && backoff >= 0) {
              failover(index);
              schedule(() -> attempt(c, attempt + 1), backoff);
            } else {
              c.result.completeExceptionally(trace.answered() ? e : finalFailure(e, c.total));
            }
          }
        },
        MoreExecutors.directExecutor());
  }

  /** The last attempt's failure when no member answered, saying how long the call tried. */
  private AimStoreException finalFailure(AimStoreException e, Duration total) {
    if (e.code() != Code.UNAVAILABLE && e.code() != Code.DEADLINE_EXCEEDED) {
      return e;
    }
    String tried = endpoints.size() == 1 ? "" : "; tried " + String.join(", ", endpoints);
    return e.withDescription(
        e.description() + " (gave up after " + Failures.seconds(total) + tried + ")");
  }

  /** Whether a failed attempt may be repeated, on another member, under {@code retry}. */
  static boolean retryable(AimStoreException e, Retry retry) {
    Code code = e.code();
    if (code != Code.UNAVAILABLE && code != Code.DEADLINE_EXCEEDED) {
      return false;
    }
    return switch (retry) {
      case IDEMPOTENT, IDEMPOTENT_AT_LEADER -> true;
      case IF_UNAVAILABLE -> code == Code.UNAVAILABLE || e.outcome() == Outcome.NOT_APPLIED;
      case IF_NOT_APPLIED -> e.outcome() == Outcome.NOT_APPLIED;
    };
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
