package io.aimstore.bench.workload;

import io.aimstore.bench.driver.ReadConsistency;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The workloads measured now, in the order they run on each cluster. */
public final class Workloads {
  private Workloads() {}

  public static List<Workload> all() {
    return List.of(
        new PutWorkload("put-latency", 1),
        new PutWorkload("put-throughput-64", 64),
        new PutWorkload("put-throughput-256", 256),
        new GetWorkload("get-linearizable-64", ReadConsistency.LINEARIZABLE, 64),
        new GetWorkload("get-serializable-64", ReadConsistency.SERIALIZABLE, 64),
        new CasWorkload("cas-64", 64));
  }

  /** The workloads whose id is in {@code ids} (all when empty), in run order. */
  public static List<Workload> select(Set<String> ids) {
    List<Workload> out = new ArrayList<>();
    for (Workload w : all()) {
      if (ids.isEmpty() || ids.contains(w.id())) {
        out.add(w);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no workload matches " + ids);
    }
    return out;
  }
}
