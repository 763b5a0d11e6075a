package io.aimstore.server.api;

import io.aimstore.api.WireHeaders;
import io.aimstore.server.core.Access;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates every call: the caller's identity is its TLS client certificate's (see {@link
 * CertificateIdentity}). A member relaying a call for a client names that client in {@link
 * WireHeaders#ON_BEHALF_OF}, believed only on a member's connection. A call without a verified
 * identity is refused as UNAUTHENTICATED. On an insecure member every call is {@link
 * Access#INSECURE_IDENTITY}.
 */
public final class IdentityInterceptor implements ServerInterceptor {
  private final boolean insecure;

  /**
   * @param insecure the member runs without TLS (development only)
   */
  public IdentityInterceptor(boolean insecure) {
    this.insecure = insecure;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String identity = insecure ? Access.INSECURE_IDENTITY : verified(call);
    if (identity == null) {
      call.close(
          GrpcErrors.unauthenticated(
              "no verified client certificate: connect with TLS and a certificate issued by the"
                  + " cluster CA (see docs/security.md)"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    String relayed = headers.get(WireHeaders.ON_BEHALF_OF);
    if (relayed != null && !insecure) {
      if (!CertificateIdentity.isMember(identity)) {
        call.close(
            GrpcErrors.unauthenticated(
                identity + " may not act on behalf of another identity: only members relay"),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
      identity = relayed;
    }
    return Contexts.interceptCall(
        Context.current().withValue(Caller.IDENTITY, identity), call, headers, next);
  }

  private static String verified(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? CertificateIdentity.of(x)
          : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}
