package io.aimstore.api;

import io.grpc.Metadata;

/**
 * The gRPC metadata keys aimstore's members and clients exchange beyond the messages themselves:
 * defined once here, so both sides always agree on the names.
 */
public final class WireHeaders {
  /**
   * Response header: the leader's client address as the answering member sees it, so a client can
   * send writes straight to the leader instead of paying a forwarding hop.
   */
  public static final Metadata.Key<String> LEADER =
      Metadata.Key.of("aimstore-leader", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Error trailer: {@code "true"} when the failed request certainly did not take effect, so it may
   * be sent again as is. Absent when the outcome is unknown or the request was refused by apply.
   */
  public static final Metadata.Key<String> RETRY_SAFE =
      Metadata.Key.of("aimstore-retry-safe", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Request header: the verified identity of the client a member relays a call for (a keep-alive
   * stream or a leader-only view forwarded to the leader). The leader believes it only when the
   * connection itself is a member's (its certificate says spiffe://aimstore/member/...).
   */
  public static final Metadata.Key<String> ON_BEHALF_OF =
      Metadata.Key.of("aimstore-on-behalf-of", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Error trailer: why the store refused the request, when a client may act on it (e.g. {@code
   * COMPACTED}, {@code LEASE_NOT_FOUND}); the names of {@code aimstore.internal.ErrorReason}.
   * Compatible APIs (etcd's) map it to their own error texts.
   */
  public static final Metadata.Key<String> ERROR_REASON =
      Metadata.Key.of("aimstore-error-reason", Metadata.ASCII_STRING_MARSHALLER);

  private WireHeaders() {}
}
