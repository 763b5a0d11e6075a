package io.aimstore.bench.report;

import io.aimstore.bench.SystemKind;
import java.util.List;
import java.util.Map;

/** Aggregated results, the input of every report. */
public final class Summary {
  private Summary() {}

  /**
   * A metric over the repetitions of one system.
   *
   * @param n repetitions with a value
   */
  public record Cell(double median, double min, double max, int n) {
    public static final Cell EMPTY = new Cell(Double.NaN, Double.NaN, Double.NaN, 0);

    public boolean present() {
      return n > 0;
    }
  }

  /**
   * aimstore ÷ peer for one metric.
   *
   * @param ofMedians ratio of the two medians
   * @param min smallest ratio of one repetition's aimstore value to the same repetition's peer
   *     value
   * @param max largest such ratio
   * @param pairs repetitions in which both systems have a value
   */
  public record Ratio(double ofMedians, double min, double max, int pairs) {
    public static final Ratio EMPTY = new Ratio(Double.NaN, Double.NaN, Double.NaN, 0);

    public boolean present() {
      return Double.isFinite(ofMedians);
    }
  }

  /**
   * One system's results for one workload.
   *
   * @param extras median over the repetitions of every numeric extra
   * @param series list-valued extras (a fault workload's trial times), every repetition's
   *     concatenated
   */
  public record SystemResult(
      SystemKind system,
      Map<Metric, Cell> cells,
      long errors,
      Map<String, Double> extras,
      Map<String, List<Double>> series) {
    public Cell cell(Metric m) {
      return cells.getOrDefault(m, Cell.EMPTY);
    }
  }

  /** One workload across systems; ratios keyed by peer. */
  public record WorkloadSummary(
      String id,
      String title,
      int inFlight,
      Map<SystemKind, SystemResult> systems,
      Map<SystemKind, Map<Metric, Ratio>> ratios) {

    public Ratio ratio(SystemKind peer, Metric m) {
      return ratios.getOrDefault(peer, Map.of()).getOrDefault(m, Ratio.EMPTY);
    }

    public Cell cell(SystemKind s, Metric m) {
      SystemResult r = systems.get(s);
      return r == null ? Cell.EMPTY : r.cell(m);
    }

    /** How this workload is shown (see {@link Layout}). */
    public Layout.View view() {
      return Layout.of(id, inFlight);
    }

    /** The metric a one-line summary shows first (p50 for the sequential put, ...). */
    public Metric headline() {
      return view().headline();
    }
  }

  /**
   * The systems that are columns of the comparison tables, the terminal table and the charts, in
   * report order: those of the default run. {@link SystemKind#AIMSTORE_PLAINTEXT} is not one; it is
   * shown against aimstore in the cost of TLS (see {@link TlsCost}).
   */
  public static final List<SystemKind> COLUMNS = SystemKind.defaults();

  /** Peers with an aimstore ÷ peer column, in report order. */
  public static final List<SystemKind> PEERS = List.of(SystemKind.ETCD, SystemKind.ZOOKEEPER);
}
