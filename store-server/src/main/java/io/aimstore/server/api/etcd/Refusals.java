package io.aimstore.server.api.etcd;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * etcd methods aimstore does not offer: each answers UNIMPLEMENTED with the reason why (not gRPC's
 * bare "method not found"), so an etcd client's user learns what to do instead.
 */
final class Refusals {
  private Refusals() {}

  /**
   * {@code service} as bound, but each of the unary methods {@code refused} answers every call with
   * UNIMPLEMENTED: {@code why}.
   */
  static ServerServiceDefinition refuse(
      ServerServiceDefinition service, String why, MethodDescriptor<?, ?>... refused) {
    Set<String> names =
        Arrays.stream(refused)
            .map(MethodDescriptor::getFullMethodName)
            .collect(Collectors.toUnmodifiableSet());
    ServerServiceDefinition.Builder out =
        ServerServiceDefinition.builder(service.getServiceDescriptor());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      out.addMethod(refusedIfNamed(m, names, why));
    }
    return out.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> refusedIfNamed(
      ServerMethodDefinition<Q, R> method, Set<String> names, String why) {
    MethodDescriptor<Q, R> d = method.getMethodDescriptor();
    if (!names.contains(d.getFullMethodName())) {
      return method;
    }
    return ServerMethodDefinition.create(
        d, ServerCalls.asyncUnaryCall((req, obs) -> obs.onError(EtcdErrors.unimplemented(why))));
  }
}
