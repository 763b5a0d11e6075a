package io.aimstore.bench.result;

import java.util.Map;

/**
 * Where and how a run was made: the first line of results.jsonl ({@code "type":"env"}).
 *
 * @param command the exact command line
 * @param config durations and sizes of the run
 * @param versions system and client versions
 * @param settings per system: how it was started (durability, heap, ports)
 */
public record Environment(
    String type,
    String run,
    String startedAt,
    boolean quick,
    String command,
    int cores,
    String cpuModel,
    String memory,
    String os,
    String jvm,
    String loadAverageAtStart,
    Map<String, Object> config,
    Map<String, String> versions,
    Map<String, Map<String, String>> settings) {
  public static final String TYPE = "env";
}
