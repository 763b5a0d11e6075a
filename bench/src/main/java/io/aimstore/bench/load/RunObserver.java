package io.aimstore.bench.load;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Hooks into a load run: progress display and CPU sampling at the measured window's edges. */
public interface RunObserver {
  RunObserver NONE = new RunObserver() {};

  /** The run started; {@code completed} counts completed operations so far (settle included). */
  default void started(String label, Duration settle, Duration measure, LongSupplier completed) {}

  /** The measured window opens (after the settle period). */
  default void windowOpened() {}

  /** The measured window closed. */
  default void windowClosed() {}

  /** All operations of the run have completed (or the drain gave up). */
  default void finished() {}

  /**
   * Opens a measured window with no settle period, for a run that is not a load loop: {@link
   * #started} and {@link #windowOpened} now, {@link #windowClosed} and {@link #finished} when the
   * returned window is closed.
   *
   * @param expected how long the run is expected to take (for the progress display)
   * @param completed completed operations (trials, events) so far
   */
  default Window window(String label, Duration expected, LongSupplier completed) {
    started(label, Duration.ZERO, expected, completed);
    windowOpened();
    return () -> {
      windowClosed();
      finished();
    };
  }

  /** An open window; closing it closes the window and ends the run. */
  interface Window extends AutoCloseable {
    @Override
    void close();
  }

  /** Calls {@code first}, then {@code second}, for every hook. */
  static RunObserver both(RunObserver first, RunObserver second) {
    return new RunObserver() {
      @Override
      public void started(String label, Duration settle, Duration measure, LongSupplier completed) {
        first.started(label, settle, measure, completed);
        second.started(label, settle, measure, completed);
      }

      @Override
      public void windowOpened() {
        first.windowOpened();
        second.windowOpened();
      }

      @Override
      public void windowClosed() {
        first.windowClosed();
        second.windowClosed();
      }

      @Override
      public void finished() {
        first.finished();
        second.finished();
      }
    };
  }
}
