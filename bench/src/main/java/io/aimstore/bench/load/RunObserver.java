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
