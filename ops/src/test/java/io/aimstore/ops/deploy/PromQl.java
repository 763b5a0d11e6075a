package io.aimstore.ops.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, and the expressions of the dashboard and the alert
 * rules. Not a PromQL parser: it drops what cannot be a metric name (strings, label matchers, range
 * selectors, Grafana variables, grouping clauses, numbers), then takes every identifier that is
 * neither a function call nor an operator keyword. promtool checks the syntax (ops/observe).
 */
final class PromQl {
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*\\}|\\$\\w+");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.:])([A-Za-z_:][\\w:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan");

  private PromQl() {}

  /** The metric names {@code expr} reads. */
  static Set<String> metricNames(String expr) {
    String s = STRING.matcher(expr).replaceAll(" ");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = RANGE.matcher(s).replaceAll(" ");
    s = VARIABLE.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      boolean call = m.group(2) != null;
      if (!call && !KEYWORDS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** Every {@code expr} of the dashboard's panels (rows included) and variables. */
  static List<String> dashboardExpressions(Object node) {
    List<String> out = new ArrayList<>();
    collect(node, out);
    return out;
  }

  private static void collect(Object node, List<String> out) {
    if (node instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            if ("expr".equals(k) && v instanceof String s) {
              out.add(s);
            } else {
              collect(v, out);
            }
          });
    } else if (node instanceof List<?> l) {
      l.forEach(v -> collect(v, out));
    }
  }
}
