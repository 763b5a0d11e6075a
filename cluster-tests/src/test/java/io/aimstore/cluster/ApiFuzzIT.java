package io.aimstore.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.aimstore.api.v1.AuthGrpc;
import io.aimstore.api.v1.ClusterGrpc;
import io.aimstore.api.v1.ConfigsGrpc;
import io.aimstore.api.v1.KVGrpc;
import io.aimstore.api.v1.LeaseGrantRequest;
import io.aimstore.api.v1.LeaseGrpc;
import io.aimstore.api.v1.LockAcquireRequest;
import io.aimstore.api.v1.LockGrpc;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RolloutsGrpc;
import io.aimstore.api.v1.StatusRequest;
import io.aimstore.api.v1.WatchGrpc;
import io.aimstore.testkit.InProcessCluster;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives every public gRPC method with random and mutated messages (seeded: the seed is in every
 * failure message). Every call must end, with a status that says what was wrong (never INTERNAL or
 * UNKNOWN); a refused write must leave the revision as it was; the member must stay healthy.
 *
 * <p>Short profile in {@code mvn verify}; a long one with {@code -Dfuzz.iterations=2000} and any
 * {@code -Dfuzz.seed=N}.
 */
class ApiFuzzIT {
  static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 25);

  /** Codes a refusal may carry: the request was checked and nothing was written. */
  static final Set<Status.Code> REFUSED =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.ALREADY_EXISTS,
          Status.Code.PERMISSION_DENIED,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.OUT_OF_RANGE,
          Status.Code.RESOURCE_EXHAUSTED);

  @TempDir static Path dir;
  static InProcessCluster cluster;
  static ManagedChannel channel;

  @BeforeAll
  static void start() {
    cluster = new InProcessCluster(dir, 1);
    cluster.start();
    cluster.awaitLeader();
    channel =
        NettyChannelBuilder.forTarget(cluster.endpoint(1))
            .usePlaintext()
            .maxInboundMessageSize(16 << 20)
            .build();
  }

  @AfterAll
  static void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static final List<ServiceDescriptor> SERVICES =
      List.of(
          KVGrpc.getServiceDescriptor(),
          LeaseGrpc.getServiceDescriptor(),
          LockGrpc.getServiceDescriptor(),
          ClusterGrpc.getServiceDescriptor(),
          ConfigsGrpc.getServiceDescriptor(),
          RolloutsGrpc.getServiceDescriptor(),
          AuthGrpc.getServiceDescriptor(),
          WatchGrpc.getServiceDescriptor());

  @Test
  void everyMethodAnswersRandomAndMutatedMessagesWithAClearStatusAndRefusalsWriteNothing()
      throws Exception {
    Random rnd = new Random(SEED);
    int calls = 0;
    for (ServiceDescriptor service : SERVICES) {
      for (MethodDescriptor<?, ?> m : service.getMethods()) {
        for (int i = 0; i < ITERATIONS; i++) {
          Message req = request(m, rnd);
          if (m.getType() == MethodDescriptor.MethodType.UNARY) {
            unary(m, req);
          } else {
            stream(m, req, rnd);
          }
          calls++;
        }
      }
      assertHealthy("after " + service.getName());
    }
    assertThat(calls).isGreaterThan(40 * ITERATIONS);
  }

  /** A random message of the method's request type, or a byte-mutated copy of one. */
  static Message request(MethodDescriptor<?, ?> m, Random rnd) {
    Message prototype =
        (Message)
            ((MethodDescriptor.PrototypeMarshaller<?>) m.getRequestMarshaller())
                .getMessagePrototype();
    Message random = tame(randomMessage(prototype.getDescriptorForType(), rnd, 0), prototype);
    if (rnd.nextInt(3) == 0) {
      byte[] bytes = random.toByteArray();
      for (int flips = 1 + rnd.nextInt(4); flips > 0 && bytes.length > 0; flips--) {
        bytes[rnd.nextInt(bytes.length)] ^= (byte) (1 << rnd.nextInt(8));
      }
      try {
        return prototype.getParserForType().parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        // a mutation that no longer parses: gRPC refuses it before aimstore sees it
      }
    }
    return random;
  }

  /**
   * Keeps the fuzz from starting work that outlives the call and changes the revision later: leases
   * long enough not to expire during the run, lock waits short.
   */
  static Message tame(DynamicMessage random, Message prototype) {
    Message m;
    try {
      m = prototype.getParserForType().parseFrom(random.toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    if (m instanceof LeaseGrantRequest g && g.getTtl() > 0 && g.getTtl() < 3600) {
      return g.toBuilder().setTtl(3600).build();
    }
    if (m instanceof LockAcquireRequest a) {
      return a.toBuilder().setWaitTimeoutMs(Math.floorMod(a.getWaitTimeoutMs(), 200)).build();
    }
    return m;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  void unary(MethodDescriptor m, Message req) {
    long before = revision();
    Status status;
    try {
      ClientCalls.blockingUnaryCall(
          channel, m, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), req);
      status = Status.OK;
    } catch (RuntimeException e) {
      status = Status.fromThrowable(e);
    }
    String where = m.getFullMethodName() + " seed=" + SEED + " request=" + shortText(req);
    assertThat(status.getCode())
        .as("%s: a clear status, not %s (%s)", where, status.getCode(), status.getDescription())
        .isNotIn(Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.DEADLINE_EXCEEDED);
    if (!status.isOk()) {
      assertThat(status.getDescription()).as("%s: a message", where).isNotBlank();
    }
    if (REFUSED.contains(status.getCode()) && !m.getFullMethodName().endsWith("Lock/Acquire")) {
      assertThat(revision())
          .as("%s: refused with %s, yet written", where, status)
          .isEqualTo(before);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  void stream(MethodDescriptor m, Message first, Random rnd) throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCall call =
        channel.newCall(m, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    call.start(
        new ClientCall.Listener<Object>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(Integer.MAX_VALUE);
    call.sendMessage(first);
    for (int i = rnd.nextInt(4); i > 0; i--) {
      call.sendMessage(request(m, rnd));
    }
    call.halfClose();
    Status status = closed.get(15, TimeUnit.SECONDS);
    assertThat(status.getCode())
        .as("%s seed=%d: %s", m.getFullMethodName(), SEED, status)
        .isNotIn(Status.Code.INTERNAL, Status.Code.UNKNOWN);
  }

  static long revision() {
    return KVGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .range(
            RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("/"))
                .setSerializable(true)
                .build())
        .getHeader()
        .getRevision();
  }

  static void assertHealthy(String when) {
    assertThat(
            ClusterGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .status(StatusRequest.getDefaultInstance())
                .getRole())
        .as("member still serving %s (seed %d)", when, SEED)
        .isEqualTo("LEADER");
  }

  // ---- random messages -----------------------------------------------------------------------

  static DynamicMessage randomMessage(Descriptor d, Random rnd, int depth) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
    for (OneofDescriptor o : d.getRealOneofs()) {
      if (rnd.nextInt(4) != 0) {
        FieldDescriptor f = o.getField(rnd.nextInt(o.getFieldCount()));
        b.setField(f, value(f, rnd, depth));
      }
    }
    for (FieldDescriptor f : d.getFields()) {
      if (f.getRealContainingOneof() != null || rnd.nextInt(3) == 0) {
        continue;
      }
      if (f.isRepeated()) {
        int n = rnd.nextInt(20) == 0 ? 150 : rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
          b.addRepeatedField(f, value(f, rnd, depth));
        }
      } else {
        b.setField(f, value(f, rnd, depth));
      }
    }
    return b.build();
  }

  static Object value(FieldDescriptor f, Random rnd, int depth) {
    return switch (f.getJavaType()) {
      case INT -> (int) number(rnd);
      case LONG -> number(rnd);
      case FLOAT -> (float) rnd.nextGaussian() * 100;
      case DOUBLE -> rnd.nextInt(5) == 0 ? Double.NaN : rnd.nextGaussian() * 100;
      case BOOLEAN -> rnd.nextBoolean();
      case STRING -> text(rnd);
      case BYTE_STRING -> ByteString.copyFrom(text(rnd), StandardCharsets.UTF_8);
      case ENUM -> {
        List<EnumValueDescriptor> values = f.getEnumType().getValues();
        yield values.get(rnd.nextInt(values.size()));
      }
      case MESSAGE ->
          depth >= 3
              ? DynamicMessage.getDefaultInstance(f.getMessageType())
              : randomMessage(f.getMessageType(), rnd, depth + 1);
    };
  }

  static final long[] NUMBERS = {
    0, 1, 2, -1, 3600, 60_000, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE
  };

  static long number(Random rnd) {
    return rnd.nextBoolean() ? NUMBERS[rnd.nextInt(NUMBERS.length)] : rnd.nextInt(50);
  }

  static final String[] TEXTS = {
    "",
    "k",
    "/aim/fleet-1/configs/aim",
    "/aim/fleet-1/drones/d1/presence",
    "/_aimstore/locks/x/0000000000000001",
    "aim/fleet-1/config",
    "fleet-1",
    "\u0000",
    "\uD83D\uDE81 drone",
    "../../etc/passwd",
    "spiffe://aimstore/operator/*",
    "/scratch/{name}/"
  };

  static String text(Random rnd) {
    int pick = rnd.nextInt(20);
    if (pick == 0) {
      return "x".repeat(5_000 + rnd.nextInt(5_000));
    }
    if (pick == 1) {
      return "v".repeat(1_100_000); // just over the value limit
    }
    if (pick < 8) {
      StringBuilder sb = new StringBuilder();
      for (int i = rnd.nextInt(12); i > 0; i--) {
        sb.append((char) (32 + rnd.nextInt(95)));
      }
      return sb.toString();
    }
    return TEXTS[rnd.nextInt(TEXTS.length)];
  }

  static String shortText(Message m) {
    String s = m.toString().replace('\n', ' ');
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
