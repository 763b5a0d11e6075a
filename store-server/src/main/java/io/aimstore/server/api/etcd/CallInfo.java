package io.aimstore.server.api.etcd;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What an etcd call says about its client beyond its message: the connection it came over, its user
 * agent, and whether it is TLS. etcd clients send no owner with a lease grant, so the lease's owner
 * is recorded from these (see {@link EtcdLeaseService}).
 *
 * @param remote the client's address ("ip:port"), or "unknown"
 * @param host the client's IP address, or "unknown"
 * @param userAgent the client's gRPC user agent, or ""
 * @param tls whether the call came over TLS
 */
record CallInfo(String remote, String host, String userAgent, boolean tls) {
  private static final Context.Key<CallInfo> KEY = Context.key("etcd-call-info");
  private static final Metadata.Key<String> USER_AGENT =
      Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
  private static final CallInfo UNKNOWN = new CallInfo("unknown", "unknown", "", false);

  /** The current call's info (set by {@link #interceptor()}), or "unknown" outside a call. */
  static CallInfo current() {
    CallInfo info = KEY.get();
    return info == null ? UNKNOWN : info;
  }

  /** "https" for a TLS call, else "http": the scheme of the URLs etcd's member list shows. */
  String scheme() {
    return tls ? "https" : "http";
  }

  static ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SocketAddress addr = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String remote = "unknown";
        String host = "unknown";
        if (addr instanceof InetSocketAddress inet) {
          host =
              inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
          remote = host + ":" + inet.getPort();
        }
        String agent = headers.get(USER_AGENT);
        boolean tls = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION) != null;
        CallInfo info = new CallInfo(remote, host, agent == null ? "" : agent, tls);
        return Contexts.interceptCall(Context.current().withValue(KEY, info), call, headers, next);
      }
    };
  }
}
