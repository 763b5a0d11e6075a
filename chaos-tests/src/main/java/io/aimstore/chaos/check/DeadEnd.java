package io.aimstore.chaos.check;

import io.aimstore.chaos.history.Operation;
import java.util.List;

/**
 * The deepest point a failed linearization search reached: after linearizing {@code depth}
 * operations (the last ones being {@code tail}) into {@code state}, the return of {@code stuck}
 * came before {@code stuck} could be linearized, and neither could any of {@code pending}.
 */
record DeadEnd(
    int depth, List<Operation> tail, Object[] state, Operation stuck, List<Operation> pending) {

  /** A few lines for people; {@code total} is the number of operations searched. */
  String explain(KeyValueModel model, int total) {
    StringBuilder s = new StringBuilder();
    s.append("  the longest linearizable prefix found has ").append(depth);
    s.append(" of ").append(total).append(" operations");
    if (tail.isEmpty()) {
      s.append('\n');
    } else {
      s.append(" and ends with\n");
      tail.forEach(op -> s.append("    ").append(op).append('\n'));
    }
    s.append("  leaving ").append(model.describe(state));
    s.append("; then this operation could not be linearized before it returned:\n");
    s.append("    ").append(stuck).append('\n');
    if (!pending.isEmpty()) {
      s.append("  nor could these, pending at that time:\n");
      pending.forEach(op -> s.append("    ").append(op).append('\n'));
    }
    return s.toString();
  }
}
