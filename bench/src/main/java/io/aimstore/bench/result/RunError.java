package io.aimstore.bench.result;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A cluster or workload that failed ({@code "type":"error"} in results.jsonl).
 *
 * @param workload the workload that failed, or null if the cluster itself did
 */
public record RunError(
    String type, String run, String system, int rep, String workload, String message, String at) {
  public static final String TYPE = "error";

  /**
   * What to say of a failure: the class and message of its cause, unwrapped from {@link
   * ExecutionException} and {@link CompletionException}; "unknown" for null.
   */
  public static String describe(Throwable e) {
    if (e == null) {
      return "unknown";
    }
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
