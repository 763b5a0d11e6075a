package io.aimstore.chaos.workload;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Named counters, e.g. {@code write.ok} or {@code error.UNAVAILABLE}, for the report. */
public final class Stats {
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

  public void add(String name) {
    counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
  }

  public long get(String name) {
    AtomicLong c = counters.get(name);
    return c == null ? 0 : c.get();
  }

  /** Every counter, sorted by name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
