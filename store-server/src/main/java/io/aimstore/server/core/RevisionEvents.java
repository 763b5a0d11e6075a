package io.aimstore.server.core;

import io.aimstore.api.v1.Event;
import java.util.List;

/**
 * Every change made at one revision, in the order they were made. Watchers receive a revision's
 * events together, never split. Events carry {@code prev_kv} always; the watch layer drops it for
 * watchers that did not ask.
 */
public record RevisionEvents(long revision, List<Event> events) {
  public RevisionEvents {
    events = List.copyOf(events);
  }
}
