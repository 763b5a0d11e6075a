package io.aimstore.chaos.workload;

import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects what the register clients did: every operation (for the linearizability and durability
 * checkers) and every change the store acknowledged with its revision (the reference for the watch
 * checker). Times are nanoseconds since the recorder was made, on one monotonic clock.
 */
public final class Recorder {
  private final long origin = System.nanoTime();
  private final ConcurrentLinkedQueue<Operation> operations = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<WatchEvent> committed = new ConcurrentLinkedQueue<>();
  private final AtomicLong count = new AtomicLong();

  /** Now, in nanoseconds since the recorder was made. */
  public long now() {
    return System.nanoTime() - origin;
  }

  public void record(Operation op) {
    operations.add(op);
    count.incrementAndGet();
  }

  /** A change the store acknowledged (revision from the response header). */
  public void committed(WatchEvent event) {
    committed.add(event);
  }

  public long count() {
    return count.get();
  }

  public History history() {
    return new History(new ArrayList<>(operations));
  }

  public List<WatchEvent> committedEvents() {
    return new ArrayList<>(committed);
  }
}
