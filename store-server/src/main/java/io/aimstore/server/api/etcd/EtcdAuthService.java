package io.aimstore.server.api.etcd;

import io.aimstore.etcd.api.AuthGrpc;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;

/**
 * etcd's Auth service is not implemented: aimstore does not use etcd's users and passwords. Who a
 * client is will come from its TLS client certificate, and what it may do from aimstore's roles on
 * key prefixes; every call here says so (UNIMPLEMENTED, with that reason).
 */
final class EtcdAuthService implements BindableService {
  static final String WHY =
      "aimstore does not use etcd users and passwords: identities come from client certificates"
          + " (mutual TLS) and permissions from aimstore's roles on key prefixes";

  @Override
  public ServerServiceDefinition bindService() {
    ServiceDescriptor auth = AuthGrpc.getServiceDescriptor();
    return Refusals.refuse(
        new AuthGrpc.AuthImplBase() {}.bindService(),
        WHY,
        auth.getMethods().toArray(MethodDescriptor<?, ?>[]::new));
  }
}
