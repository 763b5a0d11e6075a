package io.aimstore.server.api;

import com.google.protobuf.Message;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.core.RequestValidator;
import io.aimstore.server.core.Store;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What the api services serve calls with: the write path, reads of this member's store, response
 * headers, request validation, the caller's permissions and the route to the leader.
 */
public record Calls(
    Writes writes,
    Reads reads,
    Headers headers,
    RequestValidator validator,
    Guard guard,
    LeaderRouter router) {

  /**
   * Proposes {@code command} (see {@link Writes#submit}) and completes with the response {@code
   * reply} takes from its result: the one the core left there, its header completed.
   */
  <M extends Message> CompletableFuture<M> propose(
      Command.Builder command, Function<CommandResult, M> reply) {
    return writes.submit(command).thenApply(r -> headers.completeHeaderOf(reply.apply(r)));
  }

  /**
   * Answers {@code obs} with {@link #propose}: {@code check} runs first, in the handler, and its
   * failure, like the proposal's, is mapped by {@link GrpcErrors}.
   */
  <M extends Message> void propose(
      StreamObserver<M> obs,
      Runnable check,
      Command.Builder command,
      Function<CommandResult, M> reply) {
    Replies.run(
        () -> {
          check.run();
          return propose(command, reply);
        },
        obs);
  }

  /**
   * Answers {@code obs} with what {@code read} makes of this member's store after a ReadIndex
   * barrier (see {@link Reads#linearizable}), with a header at the store's revision: {@code check}
   * runs first, in the handler, and its failure, like the read's, is mapped by {@link GrpcErrors}.
   */
  <M extends Message> void read(StreamObserver<M> obs, Runnable check, Function<Store, M> read) {
    Replies.run(
        () -> {
          check.run();
          return reads.linearizable(s -> headers.stampAt(s.revision(), read.apply(s)));
        },
        obs);
  }
}
