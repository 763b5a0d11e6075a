package io.aimstore.server.api;

import io.grpc.Context;

/**
 * The verified identity of the client a call is for, in the call's gRPC {@link Context} (set by the
 * {@link IdentityInterceptor}). Read it while the call's context is current: in the handler and its
 * listener callbacks, not in a later continuation on another thread.
 */
final class Caller {
  static final Context.Key<String> IDENTITY = Context.key("aimstore-identity");

  private Caller() {}

  /** The caller's identity; fails loudly if a call got past the interceptor without one. */
  static String identity() {
    String id = IDENTITY.get();
    if (id == null) {
      throw new IllegalStateException("no verified identity on this call");
    }
    return id;
  }
}
