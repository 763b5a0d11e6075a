package io.aimstore.bench.report;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.report.Summary.Cell;
import io.aimstore.bench.report.Summary.Ratio;
import io.aimstore.bench.report.Summary.SystemResult;
import io.aimstore.bench.report.Summary.WorkloadSummary;
import io.aimstore.bench.result.Measurement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns measurements into medians per system and aimstore ÷ peer ratios (against every other system
 * the workload ran on): the ratio of the medians, and the range of the per-repetition ratios
 * (repetition r of aimstore against repetition r of the peer, which ran next to it in time).
 */
public final class Aggregator {
  private Aggregator() {}

  /** Workloads in the order they first appear in {@code results}. */
  public static List<WorkloadSummary> summarize(List<Measurement> results) {
    Map<String, List<Measurement>> byWorkload = new LinkedHashMap<>();
    for (Measurement m : results) {
      byWorkload.computeIfAbsent(m.workload(), k -> new ArrayList<>()).add(m);
    }
    List<WorkloadSummary> out = new ArrayList<>();
    for (Map.Entry<String, List<Measurement>> e : byWorkload.entrySet()) {
      out.add(summarizeWorkload(e.getKey(), e.getValue()));
    }
    return out;
  }

  /** Extras that measure noise rather than the system. */
  public static final List<String> NOISE_EXTRAS =
      List.of("other_processes_cpu_pct", "idle_clusters_cpu_pct");

  /** Median and range over all runs of each noise extra that the results carry. */
  public static Map<String, Cell> noise(List<Measurement> results) {
    Map<String, Cell> out = new LinkedHashMap<>();
    for (String key : NOISE_EXTRAS) {
      List<Double> values = new ArrayList<>();
      for (Measurement m : results) {
        if (m.extras() != null && m.extras().get(key) instanceof Number n) {
          values.add(n.doubleValue());
        }
      }
      if (!values.isEmpty()) {
        out.put(
            key,
            new Cell(Stats.median(values), Stats.min(values), Stats.max(values), values.size()));
      }
    }
    return out;
  }

  static WorkloadSummary summarizeWorkload(String id, List<Measurement> runs) {
    Map<SystemKind, Map<Integer, Measurement>> bySystem = new EnumMap<>(SystemKind.class);
    for (Measurement m : runs) {
      bySystem.computeIfAbsent(SystemKind.parse(m.system()), k -> new TreeMap<>()).put(m.rep(), m);
    }
    Map<SystemKind, SystemResult> systems = new EnumMap<>(SystemKind.class);
    for (Map.Entry<SystemKind, Map<Integer, Measurement>> e : bySystem.entrySet()) {
      systems.put(e.getKey(), systemResult(e.getKey(), List.copyOf(e.getValue().values())));
    }
    Map<SystemKind, Map<Metric, Ratio>> ratios = new EnumMap<>(SystemKind.class);
    Map<Integer, Measurement> mine = bySystem.getOrDefault(SystemKind.AIMSTORE, Map.of());
    for (SystemKind peer : bySystem.keySet()) {
      Map<Integer, Measurement> theirs = bySystem.get(peer);
      if (peer == SystemKind.AIMSTORE || mine.isEmpty()) {
        continue;
      }
      Map<Metric, Ratio> perMetric = new LinkedHashMap<>();
      for (Metric metric : Metric.all()) {
        perMetric.put(
            metric,
            ratio(
                systems.get(SystemKind.AIMSTORE).cell(metric),
                systems.get(peer).cell(metric),
                mine,
                theirs,
                metric));
      }
      ratios.put(peer, perMetric);
    }
    Measurement any = runs.get(0);
    return new WorkloadSummary(id, any.title(), any.inFlight(), systems, ratios);
  }

  static SystemResult systemResult(SystemKind kind, List<Measurement> reps) {
    Map<Metric, Cell> cells = new LinkedHashMap<>();
    for (Metric metric : Metric.all()) {
      List<Double> values = new ArrayList<>();
      for (Measurement m : reps) {
        values.add(metric.of(m));
      }
      int n = (int) values.stream().filter(Double::isFinite).count();
      cells.put(
          metric,
          n == 0
              ? Cell.EMPTY
              : new Cell(Stats.median(values), Stats.min(values), Stats.max(values), n));
    }
    long errors = reps.stream().mapToLong(Measurement::errors).sum();
    Map<String, Double> extras = new TreeMap<>();
    Map<String, List<Double>> extraValues = new TreeMap<>();
    Map<String, List<Double>> series = new TreeMap<>();
    for (Measurement m : reps) {
      if (m.extras() == null) {
        continue;
      }
      for (Map.Entry<String, Object> x : m.extras().entrySet()) {
        if (x.getValue() instanceof Number num) {
          extraValues.computeIfAbsent(x.getKey(), k -> new ArrayList<>()).add(num.doubleValue());
        } else if (x.getValue() instanceof List<?> list) {
          List<Double> values = series.computeIfAbsent(x.getKey(), k -> new ArrayList<>());
          for (Object o : list) {
            if (o instanceof Number num) {
              values.add(num.doubleValue());
            }
          }
        }
      }
    }
    extraValues.forEach((k, v) -> extras.put(k, Stats.median(v)));
    return new SystemResult(kind, cells, errors, extras, series);
  }

  static Ratio ratio(
      Cell mine,
      Cell theirs,
      Map<Integer, Measurement> myReps,
      Map<Integer, Measurement> theirReps,
      Metric metric) {
    List<Double> perRep = new ArrayList<>();
    for (Map.Entry<Integer, Measurement> e : myReps.entrySet()) {
      Measurement other = theirReps.get(e.getKey());
      if (other != null) {
        double r = Stats.ratio(metric.of(e.getValue()), metric.of(other));
        if (Double.isFinite(r)) {
          perRep.add(r);
        }
      }
    }
    return new Ratio(
        Stats.ratio(mine.median(), theirs.median()),
        Stats.min(perRep),
        Stats.max(perRep),
        perRep.size());
  }
}
