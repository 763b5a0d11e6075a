package io.aimstore.bench.result;

/**
 * A cluster or workload that failed ({@code "type":"error"} in results.jsonl).
 *
 * @param workload the workload that failed, or null if the cluster itself did
 */
public record RunError(
    String type, String run, String system, int rep, String workload, String message, String at) {
  public static final String TYPE = "error";
}
