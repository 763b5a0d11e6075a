package io.aimstore.server.api;

import com.google.protobuf.Message;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.core.RequestValidator;
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
}
