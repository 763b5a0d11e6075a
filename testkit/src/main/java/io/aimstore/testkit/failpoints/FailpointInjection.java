package io.aimstore.testkit.failpoints;

import io.aimstore.api.v1.PutResponse;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.api.FaultInjection;
import io.aimstore.server.api.Reads;
import io.aimstore.server.api.Writes;
import io.aimstore.server.core.Store;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The deliberate bugs the chaos suite switches on to show that its checkers catch real faults. A
 * member loads this only when the testkit is on its class path (a process cluster puts it there,
 * through {@code AIMSTORE_EXTRA_CLASSPATH}, when a run asks for failpoints); it then reads {@code
 * AIMSTORE_FAILPOINTS} (comma-separated):
 *
 * <ul>
 *   <li>{@code stale-reads}: linearizable reads skip the ReadIndex barrier and read local state.
 *   <li>{@code ack-before-commit}: puts are acknowledged as soon as they are proposed, before Raft
 *       commits them.
 * </ul>
 */
public final class FailpointInjection implements FaultInjection {
  /** The variable that names the failpoints to switch on. */
  public static final String VARIABLE = "AIMSTORE_FAILPOINTS";

  private final Set<String> enabled;

  public FailpointInjection() {
    String v = System.getenv(VARIABLE);
    this.enabled =
        v == null
            ? Set.of()
            : Arrays.stream(v.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    if (!enabled.isEmpty()) {
      System.err.println(
          "aimstore: TEST ONLY failpoints enabled: "
              + enabled
              + " — this member violates its guarantees on purpose");
    }
  }

  @Override
  public Reads reads(Reads real) {
    if (!enabled.contains("stale-reads")) {
      return real;
    }
    return new Reads() {
      @Override
      public <T> CompletableFuture<T> linearizable(Function<Store, T> read) {
        return real.serializable(read); // the bug: no ReadIndex barrier
      }

      @Override
      public <T> CompletableFuture<T> serializable(Function<Store, T> read) {
        return real.serializable(read);
      }

      @Override
      public Executor pool() {
        return real.pool();
      }
    };
  }

  @Override
  public Writes writes(Writes real) {
    if (!enabled.contains("ack-before-commit")) {
      return real;
    }
    return (Command.Builder command) -> {
      if (!command.hasPut()) {
        return real.submit(command);
      }
      real.submit(command); // the bug: answer before Raft has committed anything
      return CompletableFuture.completedFuture(
          CommandResult.newBuilder().setPut(PutResponse.getDefaultInstance()).build());
    };
  }
}
