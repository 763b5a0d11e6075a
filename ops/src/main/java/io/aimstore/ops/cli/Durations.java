package io.aimstore.ops.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them: a number with a unit ({@code 500ms}, {@code 90s}, {@code 15m},
 * {@code 2h}, {@code 1d}), several in a row ({@code 1h30m}), a plain number of seconds ({@code
 * 10}), or ISO-8601 ({@code PT90S}, {@code P1D}). Anything else is refused with an example, never
 * guessed: {@code 100000d} is 100,000 days (and then too long), never seconds.
 */
public final class Durations {
  /** Longer than anything aimctl has a use for, and far from overflowing milliseconds. */
  public static final Duration MAX = Duration.ofDays(365L * 100);

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Pattern PLAIN = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final String EXAMPLES = "examples: 500ms, 90s, 15m, 2h, 1d, 1h30m, PT90S";

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException saying what is wrong, with examples
   */
  public static Duration parse(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration (" + EXAMPLES + ")");
    }
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("'" + text + "' is negative; durations are >= 0");
    }
    if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return bounded(text, Duration.parse(s.toUpperCase(Locale.ROOT)));
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not an ISO-8601 duration (" + EXAMPLES + ")");
      }
    }
    if (PLAIN.matcher(s).matches()) {
      return bounded(text, nanos(new BigDecimal(s), BigDecimal.valueOf(1_000_000_000L), text));
    }
    String lower = s.toLowerCase(Locale.ROOT);
    Matcher m = PART.matcher(lower);
    BigDecimal total = BigDecimal.ZERO;
    int at = 0;
    while (at < lower.length() && m.find(at) && m.start() == at) {
      total = total.add(new BigDecimal(m.group(1)).multiply(unitNanos(m.group(2))));
      at = m.end();
    }
    if (at == 0 || at != lower.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (" + EXAMPLES + ")");
    }
    return bounded(text, nanos(total, BigDecimal.ONE, text));
  }

  private static BigDecimal unitNanos(String unit) {
    long n =
        switch (unit) {
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default -> 86_400_000_000_000L; // d
        };
    return BigDecimal.valueOf(n);
  }

  private static Duration nanos(BigDecimal amount, BigDecimal unit, String text) {
    BigDecimal n = amount.multiply(unit).setScale(0, RoundingMode.HALF_UP);
    if (n.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
      throw tooLong(text);
    }
    return Duration.ofNanos(n.longValueExact());
  }

  private static Duration bounded(String text, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("'" + text + "' is negative; durations are >= 0");
    }
    if (d.compareTo(MAX) > 0) {
      throw tooLong(text);
    }
    return d;
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException("'" + text + "' is too long (at most 36500d)");
  }

  /** "1.5s", "90s", "15m", "2h", "1d", "1h30m": the shortest exact form of {@code d}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toNanos() % 1_000_000_000L != 0 || d.toSeconds() < 60 && d.toMillis() % 1000 != 0) {
      return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toMillis() / 1000.0 + "s";
    }
    long s = d.toSeconds();
    StringBuilder b = new StringBuilder();
    long[] units = {86400, 3600, 60, 1};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (s >= units[i]) {
        b.append(s / units[i]).append(names[i]);
        s %= units[i];
      }
    }
    return b.toString();
  }
}
