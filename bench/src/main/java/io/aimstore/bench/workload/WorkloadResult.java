package io.aimstore.bench.workload;

import io.aimstore.bench.load.RunStats;
import java.util.Map;

/**
 * A run's measurement plus workload-specific figures (background put rate, CAS conflicts).
 *
 * @param extras small named numbers, written to the results file as they are
 */
public record WorkloadResult(RunStats stats, Map<String, Object> extras) {}
