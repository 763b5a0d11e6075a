package io.aimstore.chaos.check;

import io.aimstore.chaos.history.KeyRange;
import io.aimstore.chaos.history.WatchEvent;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The reference: events the store committed, by revision. It need not hold every revision (one
 * built from writers' acknowledgements lacks indeterminate writes and lease expiries); checks that
 * need it skip the revisions it does not know.
 */
final class CommittedEvents {

  private final NavigableMap<Long, Map<String, WatchEvent>> byRevision = new TreeMap<>();

  CommittedEvents(Collection<WatchEvent> events) {
    for (WatchEvent event : events) {
      Map<String, WatchEvent> atRevision =
          byRevision.computeIfAbsent(event.revision(), r -> new HashMap<>());
      if (atRevision.put(event.key(), event) != null) {
        throw new IllegalArgumentException("two reference events for one key: " + event);
      }
    }
  }

  /** The events at {@code revision}, by key; {@code null} if the reference does not know it. */
  Map<String, WatchEvent> at(long revision) {
    return byRevision.get(revision);
  }

  /** The known revisions at or after {@code from} that change a key in {@code range}, ascending. */
  long[] matching(KeyRange range, long from) {
    return byRevision.tailMap(from, true).entrySet().stream()
        .filter(e -> e.getValue().keySet().stream().anyMatch(range::contains))
        .mapToLong(Map.Entry::getKey)
        .toArray();
  }

  /** The keys in {@code range} changed at the known {@code revision}. */
  List<String> keysIn(KeyRange range, long revision) {
    return byRevision.get(revision).keySet().stream().filter(range::contains).sorted().toList();
  }
}
