package io.aimstore.chaos.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One client operation as its client saw it: what it asked, what it was told, and when.
 *
 * <p>Every operation is a list of {@link Access}es applied atomically: exactly one for {@link
 * OpKind#READ}, {@link OpKind#WRITE}, {@link OpKind#DELETE} and {@link OpKind#CAS}, one or more for
 * {@link OpKind#TXN}. An {@link Outcome#OK} operation has one output per access (see {@link OpKind}
 * for its type); {@link Outcome#FAIL} and {@link Outcome#INFO} operations have none.
 *
 * @param process the client (logical process) that ran it; a process runs one operation at a time
 * @param kind what it does
 * @param input its accesses, in the order they apply
 * @param output for OK operations, the result of each access; empty otherwise
 * @param invokeNanos when the client sent it, on a clock shared by all processes of the history
 * @param completeNanos when the client got its answer or gave up; not before {@code invokeNanos}
 * @param outcome how it ended
 * @param revision the store revision the answer carried (the revision a write created, the revision
 *     a read saw); 0 if unknown
 */
public record Operation(
    int process,
    OpKind kind,
    List<Access> input,
    List<Object> output,
    long invokeNanos,
    long completeNanos,
    Outcome outcome,
    long revision) {

  public Operation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    input = List.copyOf(input);
    output = Collections.unmodifiableList(new ArrayList<>(output));
    if (input.isEmpty()
        || (kind != OpKind.TXN && (input.size() != 1 || input.get(0).kind() != kind))) {
      throw new IllegalArgumentException(kind + " with input " + input);
    }
    if (completeNanos < invokeNanos) {
      throw new IllegalArgumentException("completes at " + completeNanos + " < " + invokeNanos);
    }
    if (revision < 0) {
      throw new IllegalArgumentException("revision " + revision);
    }
    if (outcome != Outcome.OK) {
      if (!output.isEmpty()) {
        throw new IllegalArgumentException(outcome + " operation with output " + output);
      }
    } else {
      if (output.size() != input.size()) {
        throw new IllegalArgumentException("outputs " + output + " for inputs " + input);
      }
      for (int i = 0; i < input.size(); i++) {
        requireOutput(input.get(i), output.get(i));
      }
    }
  }

  /**
   * A completed single-key operation: {@code access} with its {@code output} (the value read, the
   * CAS's success, null for a write or delete).
   */
  public static Operation ok(
      int process,
      Access access,
      Object output,
      long invokeNanos,
      long completeNanos,
      long revision) {
    return new Operation(
        process,
        access.kind(),
        List.of(access),
        Arrays.asList(output),
        invokeNanos,
        completeNanos,
        Outcome.OK,
        revision);
  }

  private static void requireOutput(Access access, Object out) {
    switch (access.kind()) {
      case READ -> Access.requireValue(out);
      case CAS -> {
        if (!(out instanceof Boolean)) {
          throw new IllegalArgumentException(access + " needs a boolean output, not " + out);
        }
      }
      default -> {
        if (out != null) {
          throw new IllegalArgumentException(access + " has no output, not " + out);
        }
      }
    }
  }

  /**
   * The latest time this operation may have taken effect: its completion, or {@link Long#MAX_VALUE}
   * if it is {@link Outcome#INFO}.
   */
  public long latestEffectNanos() {
    return outcome == Outcome.INFO ? Long.MAX_VALUE : completeNanos;
  }

  /** The keys it touches, in the order of its accesses. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (Access access : input) {
      keys.add(access.key());
    }
    return keys;
  }

  /** For example {@code p3 cas x "a"->"b" => true (OK, 100..250, rev 7)}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("p").append(process).append(' ');
    if (kind == OpKind.TXN) {
      s.append("txn[");
    }
    for (int i = 0; i < input.size(); i++) {
      Access access = input.get(i);
      s.append(i == 0 ? "" : "; ").append(access);
      if (!output.isEmpty() && (access.kind() == OpKind.READ || access.kind() == OpKind.CAS)) {
        Object out = output.get(i);
        s.append(" => ").append(out instanceof Boolean ? out : Access.show(out));
      }
    }
    s.append(kind == OpKind.TXN ? "] (" : " (").append(outcome).append(", ");
    s.append(invokeNanos).append("..");
    s.append(outcome == Outcome.INFO ? "inf" : Long.toString(completeNanos));
    return s.append(revision > 0 ? ", rev " + revision + ")" : ")").toString();
  }
}
