package io.aimstore.server.api.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.etcd.api.AuthGrpc;
import io.aimstore.etcd.api.AuthUserAddRequest;
import io.aimstore.etcd.api.ClusterGrpc;
import io.aimstore.etcd.api.MemberAddRequest;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** etcd methods aimstore does not offer say why, with UNIMPLEMENTED; the others are served. */
class RefusalsTest {
  /** A server call that records how it was closed. */
  static final class RecordedCall<Q, R> extends ServerCall<Q, R> {
    final MethodDescriptor<Q, R> method;
    final List<Status> closed = new ArrayList<>();

    RecordedCall(MethodDescriptor<Q, R> method) {
      this.method = method;
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(R message) {}

    @Override
    public void close(Status status, Metadata trailers) {
      closed.add(status);
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public Attributes getAttributes() {
      return Attributes.EMPTY;
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }

  /** Calls {@code method} of {@code service} once with {@code request}; how the call closed. */
  @SuppressWarnings("unchecked")
  static <Q, R> List<Status> call(
      ServerServiceDefinition service, MethodDescriptor<Q, R> method, Q request) {
    RecordedCall<Q, R> call = new RecordedCall<>(method);
    ServerCall.Listener<Q> listener =
        ((io.grpc.ServerCallHandler<Q, R>)
                service.getMethod(method.getFullMethodName()).getServerCallHandler())
            .startCall(call, new Metadata());
    listener.onMessage(request);
    listener.onHalfClose();
    return call.closed;
  }

  @Test
  void everyAuthMethodIsRefusedWithTheReason() {
    ServerServiceDefinition auth = new EtcdAuthService().bindService();
    assertThat(auth.getMethods()).hasSize(AuthGrpc.getServiceDescriptor().getMethods().size());
    List<Status> closed =
        call(auth, AuthGrpc.getUserAddMethod(), AuthUserAddRequest.getDefaultInstance());
    assertThat(closed).hasSize(1);
    assertThat(closed.get(0).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(closed.get(0).getDescription()).isEqualTo(EtcdAuthService.WHY);
  }

  @Test
  void membershipChangesAreRefusedAndMemberListIsKept() {
    ServerServiceDefinition bound = new ClusterGrpc.ClusterImplBase() {}.bindService();
    ServerServiceDefinition cluster =
        Refusals.refuse(bound, "why", ClusterGrpc.getMemberAddMethod());
    List<Status> closed =
        call(cluster, ClusterGrpc.getMemberAddMethod(), MemberAddRequest.getDefaultInstance());
    assertThat(closed).extracting(Status::getCode).containsExactly(Status.Code.UNIMPLEMENTED);
    assertThat(closed.get(0).getDescription()).isEqualTo("why");
    String memberList = ClusterGrpc.getMemberListMethod().getFullMethodName();
    assertThat(cluster.getMethod(memberList))
        .as("not refused: the service's own handler")
        .isSameAs(bound.getMethod(memberList));
  }
}
