package io.aimstore.chaos.history;

import java.util.List;

/** One thing a watcher received, in the order it received them. */
public sealed interface WatchMessage {

  /** One response carrying events; the events of one revision must all come in one response. */
  record Events(List<WatchEvent> events) implements WatchMessage {
    public Events {
      events = List.copyOf(events);
    }
  }

  /**
   * A marker the watcher's client records when it re-creates the watch (after a disconnect or on
   * another member) from {@code revision}, normally the last revision it saw + 1.
   */
  record Resumed(long revision) implements WatchMessage {
    public Resumed {
      if (revision < 1) {
        throw new IllegalArgumentException("revision " + revision);
      }
    }
  }

  /**
   * A progress notification (bookmark): the store promises that every event of the watch's range at
   * or below {@code revision} has been delivered.
   */
  record Progress(long revision) implements WatchMessage {}
}
