package io.aimstore.server.api;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deliberate bugs that only tests switch on, so the chaos suite can show that it catches real
 * faults. Off and inert unless the environment variable {@code AIMSTORE_FAILPOINTS} names them
 * (comma-separated); a member that has one on says so loudly at start.
 *
 * <ul>
 *   <li>{@code stale-reads}: linearizable reads skip the ReadIndex barrier and read local state.
 *   <li>{@code ack-before-commit}: writes are acknowledged as soon as they are proposed, before
 *       Raft commits them.
 * </ul>
 */
public final class Failpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Failpoints.class);
  public static final Failpoints NONE = new Failpoints(Set.of());

  private final Set<String> enabled;

  private Failpoints(Set<String> enabled) {
    this.enabled = enabled;
  }

  public static Failpoints fromEnvironment() {
    String v = System.getenv("AIMSTORE_FAILPOINTS");
    if (v == null || v.isBlank()) {
      return NONE;
    }
    Set<String> names =
        Arrays.stream(v.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    LOG.warn(
        "event=failpoints_enabled failpoints={} (TEST ONLY: this member violates its guarantees on purpose)",
        names);
    return new Failpoints(names);
  }

  public boolean staleReads() {
    return enabled.contains("stale-reads");
  }

  public boolean ackBeforeCommit() {
    return enabled.contains("ack-before-commit");
  }
}
