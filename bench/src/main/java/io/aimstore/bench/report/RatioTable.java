package io.aimstore.bench.report;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.report.Summary.WorkloadSummary;
import java.util.List;

/** The compact table printed at the end of a run. */
public final class RatioTable {
  private RatioTable() {}

  public static String render(List<WorkloadSummary> summaries, boolean quick, int reps) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "%s medians of %d repetition%s; ratio = aimstore ÷ peer (min–max over repetitions)%n",
            quick ? "QUICK RUN (short warm-up and windows, indicative only):" : "Full run:",
            reps,
            reps == 1 ? "" : "s"));
    String fmt = "%-21s %-11s %10s %10s %10s %10s  %-22s %-22s%n";
    sb.append(
        String.format(
            fmt,
            "workload",
            "metric",
            "aimstore",
            "etcd",
            "ZooKeeper",
            "aim/etcd",
            "÷ etcd",
            "÷ ZooKeeper"));
    for (WorkloadSummary w : summaries) {
      List<Metric> rows = w.view().summary();
      for (int i = 0; i < rows.size(); i++) {
        Metric m = rows.get(i);
        sb.append(
            String.format(
                fmt,
                i == 0 ? w.id() : "",
                m.shortLabel(),
                Format.cell(m, w.cell(SystemKind.AIMSTORE, m)),
                Format.cell(m, w.cell(SystemKind.ETCD, m)),
                Format.cell(m, w.cell(SystemKind.ZOOKEEPER, m)),
                Format.cell(m, w.cell(SystemKind.AIMSTORE_ETCD, m)),
                Format.ratio(w.ratio(SystemKind.ETCD, m)),
                Format.ratio(w.ratio(SystemKind.ZOOKEEPER, m))));
      }
    }
    return sb.toString();
  }
}
