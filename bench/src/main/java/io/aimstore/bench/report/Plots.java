package io.aimstore.bench.report;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.report.Summary.Cell;
import io.aimstore.bench.report.Summary.WorkloadSummary;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of a run (XChart), written next to the markdown that embeds them. */
public final class Plots {
  private static final Map<SystemKind, Color> COLORS =
      Map.of(
          SystemKind.AIMSTORE, new Color(0x1f, 0x77, 0xb4),
          SystemKind.ETCD, new Color(0x2c, 0xa0, 0x2c),
          SystemKind.ZOOKEEPER, new Color(0xff, 0x7f, 0x0e),
          SystemKind.AIMSTORE_ETCD, new Color(0x94, 0x67, 0xbd));

  private Plots() {}

  /**
   * Writes the charts into {@code dir}.
   *
   * @param linkPrefix how the markdown reaches {@code dir}, e.g. "benchmarks/"
   * @return plot key (see {@link MarkdownReport}) → link for the markdown
   */
  public static Map<String, String> write(
      List<WorkloadSummary> workloads, Path dir, String linkPrefix, String subtitle)
      throws IOException {
    Files.createDirectories(dir);
    Charts charts = new Charts(dir, linkPrefix);
    charts.attempt(
        MarkdownReport.PLOT_THROUGHPUT, "throughput.png", f -> throughput(workloads, f, subtitle));
    charts.attempt(
        MarkdownReport.PLOT_PUT_IN_FLIGHT,
        "put-throughput-vs-in-flight.png",
        f -> putInFlight(workloads, f, subtitle));
    charts.attempt(
        MarkdownReport.PLOT_WATCH_LATENCY,
        "watch-latency-vs-watchers.png",
        f -> watchLatency(workloads, f, subtitle));
    for (WorkloadSummary w : workloads) {
      if (w.view().latencyChart()) {
        charts.attempt(
            MarkdownReport.latencyPlot(w.id()),
            "latency-" + w.id() + ".png",
            f -> latency(w, f, subtitle));
      }
      if (w.view().trialsChart()) {
        charts.attempt(
            MarkdownReport.trialsPlot(w.id()),
            "trials-" + w.id() + ".png",
            f -> trials(w, f, subtitle));
      }
    }
    return charts.links;
  }

  private interface Drawing {
    boolean draw(Path file) throws IOException;
  }

  /** The charts written into {@code dir}, and their links for the markdown. */
  private static final class Charts {
    private final Path dir;
    private final String linkPrefix;
    private final Map<String, String> links = new LinkedHashMap<>();

    Charts(Path dir, String linkPrefix) {
      this.dir = dir;
      this.linkPrefix = linkPrefix;
    }

    /**
     * Draws chart {@code key} into file {@code name}; a chart that fails is left out (and said so)
     * rather than failing the rest.
     */
    void attempt(String key, String name, Drawing drawing) {
      try {
        Files.deleteIfExists(dir.resolve(name));
        if (drawing.draw(dir.resolve(name))) {
          links.put(key, linkPrefix + name);
        }
      } catch (IOException | RuntimeException e) {
        System.err.println("plot " + name + " skipped: " + e);
      }
    }
  }

  private static boolean throughput(List<WorkloadSummary> all, Path file, String subtitle)
      throws IOException {
    List<WorkloadSummary> workloads = all.stream().filter(w -> w.view().throughputChart()).toList();
    List<String> names = new ArrayList<>();
    for (WorkloadSummary w : workloads) {
      names.add(w.id());
    }
    if (names.isEmpty()) {
      return false;
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(420)
            .title("Throughput per workload (median) — " + subtitle)
            .yAxisTitle("ops/s")
            .build();
    style(chart.getStyler());
    chart.getStyler().setYAxisDecimalPattern("#,###");
    chart.getStyler().setXAxisLabelRotation(15);
    int added = 0;
    for (SystemKind s : Summary.COLUMNS) {
      List<Double> ys = new ArrayList<>();
      boolean any = false;
      for (WorkloadSummary w : workloads) {
        Cell c = w.cell(s, Metric.THROUGHPUT);
        ys.add(c.present() ? c.median() : 0.0);
        any |= c.present();
      }
      if (any) {
        chart.addSeries(s.displayName(), names, ys).setFillColor(COLORS.get(s));
        added++;
      }
    }
    return added > 0 && save(chart, file);
  }

  private static boolean putInFlight(List<WorkloadSummary> workloads, Path file, String subtitle)
      throws IOException {
    List<WorkloadSummary> puts = new ArrayList<>();
    for (WorkloadSummary w : workloads) {
      if (w.id().startsWith("put-")) {
        puts.add(w);
      }
    }
    puts.sort((a, b) -> Integer.compare(a.inFlight(), b.inFlight()));
    if (puts.size() < 2) {
      return false;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(700)
            .height(420)
            .title("Put throughput vs. puts in flight — " + subtitle)
            .xAxisTitle("puts in flight")
            .yAxisTitle("ops/s (median)")
            .build();
    style(chart.getStyler());
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    chart.getStyler().setXAxisDecimalPattern("#");
    int added = 0;
    for (SystemKind s : Summary.COLUMNS) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (WorkloadSummary w : puts) {
        Cell c = w.cell(s, Metric.THROUGHPUT);
        if (c.present()) {
          xs.add((double) w.inFlight());
          ys.add(c.median());
        }
      }
      if (!xs.isEmpty()) {
        points(chart, s.displayName(), xs, ys, s).setLineColor(COLORS.get(s));
        added++;
      }
    }
    return added > 0 && save(chart, file);
  }

  private static boolean latency(WorkloadSummary w, Path file, String subtitle) throws IOException {
    List<Metric> metrics = List.of(Metric.P50, Metric.P99, Metric.P999);
    List<String> names = List.of("p50", "p99", "p99.9");
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(640)
            .height(380)
            .title(w.id() + " latency — " + subtitle)
            .yAxisTitle("ms, median of repetitions (log scale)")
            .build();
    style(chart.getStyler());
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setYAxisDecimalPattern("#,##0.##");
    chart.getStyler().setYAxisLogarithmic(true);
    int added = 0;
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    for (SystemKind s : Summary.COLUMNS) {
      List<Double> ys = new ArrayList<>();
      for (Metric m : metrics) {
        Cell c = w.cell(s, m);
        if (c.present() && c.median() > 0) {
          ys.add(c.median());
        }
      }
      if (ys.size() == metrics.size()) {
        chart.addSeries(s.displayName(), names, ys).setFillColor(COLORS.get(s));
        lowest = Math.min(lowest, ys.stream().mapToDouble(Double::doubleValue).min().orElse(1));
        highest = Math.max(highest, ys.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        added++;
      }
    }
    if (added == 0) {
      return false;
    }
    decades(chart.getStyler(), lowest, highest);
    return save(chart, file);
  }

  /**
   * Delivery latency (p50 solid, p99 dashed) against the number of watchers, one line per system
   * and percentile, from the watch-N workloads (their {@code watchers} extra).
   */
  private static boolean watchLatency(List<WorkloadSummary> workloads, Path file, String subtitle)
      throws IOException {
    List<WorkloadSummary> watches = new ArrayList<>();
    for (WorkloadSummary w : workloads) {
      if (w.view().latencyChart() && w.id().startsWith("watch-")) {
        watches.add(w);
      }
    }
    XYChart chart =
        new XYChartBuilder()
            .width(700)
            .height(420)
            .title("Watch delivery latency vs. watchers — " + subtitle)
            .xAxisTitle("watchers on one member")
            .yAxisTitle("ms after the put's ack (median of repetitions)")
            .build();
    style(chart.getStyler());
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisDecimalPattern("#,###");
    chart.getStyler().setYAxisDecimalPattern("#,##0.###");
    int added = 0;
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    for (SystemKind s : Summary.COLUMNS) {
      for (Metric m : List.of(Metric.P50, Metric.P99)) {
        List<double[]> points = new ArrayList<>();
        for (WorkloadSummary w : watches) {
          Summary.SystemResult r = w.systems().get(s);
          Cell c = w.cell(s, m);
          Double watchers = r == null ? null : r.extras().get("watchers");
          if (watchers != null && c.present() && c.median() > 0) {
            points.add(new double[] {watchers, c.median()});
          }
        }
        if (points.isEmpty()) {
          continue;
        }
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (double[] p : points) {
          xs.add(p[0]);
          ys.add(p[1]);
          lowest = Math.min(lowest, p[1]);
          highest = Math.max(highest, p[1]);
        }
        XYSeries series =
            points(chart, s.displayName() + (m == Metric.P50 ? " p50" : " p99"), xs, ys, s);
        series.setLineColor(COLORS.get(s));
        if (m == Metric.P99) {
          series.setLineStyle(
              new java.awt.BasicStroke(
                  2f,
                  java.awt.BasicStroke.CAP_BUTT,
                  java.awt.BasicStroke.JOIN_MITER,
                  10f,
                  new float[] {6f, 4f},
                  0f));
        }
        added++;
      }
    }
    if (added == 0) {
      return false;
    }
    decades(chart.getStyler(), lowest, highest);
    return save(chart, file);
  }

  /** Every trial of a fault workload, in order, one series of points per system. */
  private static boolean trials(WorkloadSummary w, Path file, String subtitle) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(700)
            .height(380)
            .title(w.id() + ": every trial — " + subtitle)
            .xAxisTitle("trial")
            .yAxisTitle("ms")
            .build();
    style(chart.getStyler());
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    chart.getStyler().setXAxisDecimalPattern("#");
    chart.getStyler().setYAxisMin(0.0);
    int added = 0;
    for (SystemKind s : Summary.COLUMNS) {
      Summary.SystemResult r = w.systems().get(s);
      List<Double> ys = r == null ? List.of() : r.series().getOrDefault("trial_ms", List.of());
      if (ys.isEmpty()) {
        continue;
      }
      List<Double> xs = new ArrayList<>();
      for (int i = 1; i <= ys.size(); i++) {
        xs.add((double) i);
      }
      points(chart, s.displayName(), xs, ys, s);
      added++;
    }
    return added > 0 && save(chart, file);
  }

  /** A series of circles in {@code system}'s colour. */
  private static XYSeries points(
      XYChart chart, String name, List<Double> xs, List<Double> ys, SystemKind system) {
    XYSeries series = chart.addSeries(name, xs, ys);
    series.setMarker(SeriesMarkers.CIRCLE);
    series.setMarkerColor(COLORS.get(system));
    return series;
  }

  /**
   * A log axis from the whole decade below {@code lowest} to the one above {@code highest}: bars
   * grow from the axis minimum, which a log axis needs set explicitly, and whole decades at both
   * ends get labels.
   */
  private static void decades(AxesChartStyler styler, double lowest, double highest) {
    styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(lowest))));
    styler.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(highest * 1.0001))));
  }

  private static void style(Styler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setLegendBorderColor(Color.LIGHT_GRAY);
    styler.setChartTitleBoxVisible(false);
    styler.setPlotBorderVisible(false);
    styler.setAntiAlias(true);
  }

  private static boolean save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file)
      throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return true;
  }
}
