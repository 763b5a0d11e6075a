package io.aimstore.server.watch;

import io.aimstore.api.v1.WatchResponse;

/**
 * Where a watch stream's responses go: a gRPC stream in the server, a list in tests. Only the
 * stream's drain calls it, never two threads at once.
 */
public interface ResponseSink {

  /** Whether the receiver can take another response now without buffering it. */
  boolean isReady();

  void send(WatchResponse response);

  /** Ends the stream with an error (the client reconnects and resumes). */
  void fail(Throwable error);
}
