package io.aimstore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimstore.api.WireHeaders;
import io.aimstore.api.v1.KVGrpc;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.client.AimStoreException.Code;
import io.aimstore.client.AimStoreException.Outcome;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a failed write tells its caller, against scripted members: whether it applied (from the
 * store's answer, its retry-safe trailer, or the request never leaving the client), a message
 * without transport internals, and a timeout that is the caller's, not a per-attempt cap.
 */
class WriteOutcomeTest {
  private final List<Server> servers = new ArrayList<>();
  private final List<AimStoreClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(AimStoreClient::close);
    servers.forEach(Server::shutdownNow);
  }

  /** A member whose Put does what {@code answer} does, counting calls. */
  private String member(AtomicInteger calls, Consumer<StreamObserver<PutResponse>> answer)
      throws IOException {
    Server s =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new KVGrpc.KVImplBase() {
                  @Override
                  public void put(PutRequest req, StreamObserver<PutResponse> out) {
                    calls.incrementAndGet();
                    answer.accept(out);
                  }
                })
            .build()
            .start();
    servers.add(s);
    return "127.0.0.1:" + s.getPort();
  }

  /** A member whose Put fails with {@code status}, counting calls. */
  private String refusing(AtomicInteger calls, Status status) throws IOException {
    return member(calls, out -> out.onError(status.asException()));
  }

  /** A port that was free a moment ago and is closed again: nothing listens there. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private AimStoreClient client(Duration total, Duration attempt, String... endpoints) {
    AimStoreClient c =
        AimStoreClient.builder()
            .endpoints(endpoints)
            .requestTimeout(total)
            .attemptTimeout(attempt)
            .build();
    clients.add(c);
    return c;
  }

  private static AimStoreException failure(AimStoreClient c) {
    return catchThrowableOfType(
        AimStoreException.class, () -> AimStoreClient.await(c.kv().put("k", "v")));
  }

  @Test
  void aRefusalIsNotAppliedAndCarriesTheStoresMessage() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String m =
        refusing(
            calls, Status.FAILED_PRECONDITION.withDescription("stale fencing token 3 for lock L"));
    AimStoreException e = failure(client(Duration.ofSeconds(5), Duration.ofSeconds(1), m));
    assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(e.outcome()).isEqualTo(Outcome.NOT_APPLIED);
    assertThat(e.getMessage()).isEqualTo("FAILED_PRECONDITION: stale fencing token 3 for lock L");
    assertThat(calls).hasValue(1);
  }

  @Test
  void unavailableWithoutTheTrailerIsUnknownAndNotRepeated() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String m = refusing(calls, Status.UNAVAILABLE.withDescription("leader changed mid-proposal"));
    AimStoreException e = failure(client(Duration.ofSeconds(3), Duration.ofSeconds(1), m));
    assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e.getMessage()).startsWith("UNAVAILABLE: leader changed mid-proposal");
    assertThat(calls).hasValue(1);
  }

  @Test
  void theRetrySafeTrailerMakesItNotAppliedAndRetriedUntilTheTimeout() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String m =
        member(
            calls,
            out -> {
              Metadata t = new Metadata();
              t.put(WireHeaders.RETRY_SAFE, "true");
              out.onError(Status.UNAVAILABLE.withDescription("no leader").asException(t));
            });
    long start = System.nanoTime();
    AimStoreException e = failure(client(Duration.ofSeconds(2), Duration.ofSeconds(1), m));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));
    assertThat(e.outcome()).isEqualTo(Outcome.NOT_APPLIED);
    assertThat(calls.get()).isGreaterThan(1);
  }

  @Test
  void aWriteThatGetsNoAnswerWaitsTheWholeTimeoutAndIsUnknown() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String m = member(calls, out -> {}); // never answers
    long start = System.nanoTime();
    AimStoreException e =
        failure(client(Duration.ofMillis(2000), Duration.ofMillis(300), m, "127.0.0.1:1"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(3500));
    assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
    assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e.getMessage()).contains("no answer from " + m).doesNotContain("CallOptions");
    assertThat(calls).hasValue(1);
  }

  @Test
  void aRefusedConnectionIsNotAppliedAndSaysSoPlainly() throws IOException {
    int port = closedPort();
    long start = System.nanoTime();
    AimStoreException e =
        failure(client(Duration.ofSeconds(4), Duration.ofSeconds(2), "127.0.0.1:" + port));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
    assertThat(e.outcome()).isEqualTo(Outcome.NOT_APPLIED);
    assertThat(e.getMessage())
        .startsWith("UNAVAILABLE: cannot reach 127.0.0.1:" + port + ": connection refused")
        .contains("gave up after 4.0s")
        .doesNotContain("io exception")
        .doesNotContain("Exception");
  }

  @Test
  void aWriteThatWasNeverSentGoesOnToTheNextMember() throws IOException {
    int dead = closedPort();
    AtomicInteger calls = new AtomicInteger();
    String m =
        member(
            calls,
            out -> {
              out.onNext(PutResponse.getDefaultInstance());
              out.onCompleted();
            });
    AimStoreClient c = client(Duration.ofSeconds(5), Duration.ofSeconds(1), "127.0.0.1:" + dead, m);
    AimStoreClient.await(c.kv().put("k", "v"));
    assertThat(calls).hasValue(1);
  }
}
