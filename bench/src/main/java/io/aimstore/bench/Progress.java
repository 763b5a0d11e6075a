package io.aimstore.bench;

import io.aimstore.bench.load.RunObserver;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Progress lines while the bench runs: what is running, elapsed time, operations so far. Events
 * print at once; while a load runs, a status line follows every {@code interval}.
 */
public final class Progress implements AutoCloseable {
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final Thread ticker;
  private volatile String phase = "";
  private volatile Run run;

  private record Run(
      String label, long startNanos, Duration settle, Duration measure, LongSupplier completed) {}

  public Progress(PrintStream out, Duration interval) {
    this.out = out;
    this.ticker =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(interval.toMillis());
                  tick();
                }
              } catch (InterruptedException e) {
                // closed
              }
            },
            "progress");
    ticker.setDaemon(true);
    ticker.start();
  }

  /** Sets what is going on, e.g. "aimstore r1/3". */
  public void phase(String phase) {
    this.phase = phase;
  }

  /** Prints one event line now. */
  public synchronized void say(String line) {
    out.printf("[%s] %s%n", clock(), line);
    out.flush();
  }

  private void tick() {
    Run r = run;
    if (r == null) {
      return;
    }
    double t = (System.nanoTime() - r.startNanos) / 1e9;
    double settle = r.settle.toMillis() / 1000.0;
    double measure = r.measure.toMillis() / 1000.0;
    String where =
        t < settle
            ? String.format("settling %.1f/%.1f s", t, settle)
            : String.format("measuring %.1f/%.1f s", Math.min(t - settle, measure), measure);
    say(String.format("%s · %s · %s · %,d ops", phase, r.label, where, r.completed.getAsLong()));
  }

  /** An observer that shows a run's progress. */
  public RunObserver observer() {
    return new RunObserver() {
      @Override
      public void started(String label, Duration settle, Duration measure, LongSupplier done) {
        run = new Run(label, System.nanoTime(), settle, measure, done);
      }

      @Override
      public void finished() {
        run = null;
      }
    };
  }

  public String clock() {
    return formatDuration(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  public static String formatDuration(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
        : String.format("%02d:%02d", s / 60, s % 60);
  }

  @Override
  public void close() {
    ticker.interrupt();
  }
}
