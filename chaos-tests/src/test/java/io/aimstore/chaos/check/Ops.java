package io.aimstore.chaos.check;

import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.OpKind;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.Outcome;
import java.util.Arrays;
import java.util.List;

/** Short ways to write operations in tests. Times are plain numbers; process ids are arbitrary. */
final class Ops {

  private Ops() {}

  static History history(Operation... ops) {
    return new History(List.of(ops));
  }

  static Operation read(int p, String key, Object value, long invoke, long complete) {
    return ok(p, Access.read(key), value, invoke, complete);
  }

  static Operation write(int p, String key, Object value, long invoke, long complete) {
    return ok(p, Access.write(key, value), null, invoke, complete);
  }

  static Operation delete(int p, String key, long invoke, long complete) {
    return ok(p, Access.delete(key), null, invoke, complete);
  }

  static Operation cas(
      int p,
      String key,
      Object expected,
      Object value,
      boolean swapped,
      long invoke,
      long complete) {
    return ok(p, Access.cas(key, expected, value), swapped, invoke, complete);
  }

  /**
   * An OK transaction: {@code input} and {@code output} alternate, e.g. {@code r("x"), 1, w(..)}.
   */
  static Operation txn(int p, long invoke, long complete, Object... accessesAndOutputs) {
    Access[] input = new Access[accessesAndOutputs.length / 2];
    Object[] output = new Object[input.length];
    for (int i = 0; i < input.length; i++) {
      input[i] = (Access) accessesAndOutputs[2 * i];
      output[i] = accessesAndOutputs[2 * i + 1];
    }
    return new Operation(
        p, OpKind.TXN, List.of(input), Arrays.asList(output), invoke, complete, Outcome.OK, 0);
  }

  /** {@code op} with an indeterminate outcome (its output dropped). */
  static Operation info(Operation op) {
    return with(op, Outcome.INFO, op.revision());
  }

  /** {@code op} with a failed outcome (its output dropped). */
  static Operation fail(Operation op) {
    return with(op, Outcome.FAIL, op.revision());
  }

  static Operation atRevision(Operation op, long revision) {
    return with(op, op.outcome(), revision);
  }

  private static Operation with(Operation op, Outcome outcome, long revision) {
    return new Operation(
        op.process(),
        op.kind(),
        op.input(),
        outcome == Outcome.OK ? op.output() : List.of(),
        op.invokeNanos(),
        op.completeNanos(),
        outcome,
        revision);
  }

  private static Operation ok(int p, Access access, Object output, long invoke, long complete) {
    return Operation.ok(p, access, output, invoke, complete, 0);
  }
}
