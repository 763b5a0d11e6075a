package io.aimstore.bench.result;

import java.util.Map;

/**
 * One measured run of one workload on one system in one repetition: a line of results.jsonl ({@code
 * "type":"result"}). Latencies in microseconds; CPU per op in microseconds of CPU time (user +
 * system) per successful operation of the measured window.
 *
 * @param serverCpuUsPerOp CPU of the three member processes over the window, per op (for reads, the
 *     background puts' share is included)
 * @param clientCpuUsPerOp CPU of the bench's own JVM (the client library) per op
 * @param extras workload-specific numbers (background put rate, CAS conflicts)
 */
public record Measurement(
    String type,
    String run,
    boolean quick,
    String system,
    int rep,
    String workload,
    String title,
    int inFlight,
    double settleS,
    double windowS,
    long ops,
    long errors,
    double opsPerS,
    double p50Us,
    double p90Us,
    double p99Us,
    double p999Us,
    double maxUs,
    double meanUs,
    double serverCpuS,
    double serverCpuUsPerOp,
    double clientCpuUsPerOp,
    int undrained,
    String firstError,
    Map<String, Object> extras,
    String finishedAt) {

  public static final String TYPE = "result";
}
