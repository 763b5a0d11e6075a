package io.aimstore.bench.report;

import io.aimstore.bench.report.Summary.Cell;
import io.aimstore.bench.report.Summary.Ratio;
import java.util.Locale;

/** Number formats shared by the markdown and the terminal table. */
public final class Format {
  public static final String MISSING = "—";

  private Format() {}

  /**
   * A metric value: ms, s and MiB with 3 significant digits, everything else (ops/s, µs, bytes)
   * whole with thousands separators.
   */
  public static String value(Metric m, double v) {
    if (!Double.isFinite(v)) {
      return MISSING;
    }
    return switch (m.unit()) {
      case "ms", "s", "MiB" -> millis(v);
      default -> String.format(Locale.ROOT, "%,.0f", v);
    };
  }

  public static String cell(Metric m, Cell c) {
    return c.present() ? value(m, c.median()) : MISSING;
  }

  static String millis(double v) {
    if (v < 1) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    if (v < 10) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    if (v < 100) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  public static String factor(double r) {
    if (!Double.isFinite(r)) {
      return MISSING;
    }
    return r >= 10 ? String.format(Locale.ROOT, "%.1f", r) : String.format(Locale.ROOT, "%.2f", r);
  }

  /** "1.28× (1.10–1.40)", or "1.28×" with one pair, "—" without. */
  public static String ratio(Ratio r) {
    if (!r.present()) {
      return MISSING;
    }
    String head = factor(r.ofMedians()) + "×";
    if (r.pairs() < 2) {
      return head;
    }
    return head + " (" + factor(r.min()) + "–" + factor(r.max()) + ")";
  }
}
