package io.aimstore.bench.workload;

/**
 * Sizes of the workloads beyond the plain load windows.
 *
 * @param quick a quick run (fewer trials, smaller histories, no footprint)
 * @param trials trials of each fault workload (failover, ghost-lock, session expiry) per system
 * @param leases leases kept alive by the keep-alive workload
 * @param catchUpRevisions revisions a watcher is behind in the catch-up workload
 * @param footprintKeys keys written by the footprint workload (0: it does not run)
 */
public record Scale(
    boolean quick, int trials, int leases, int catchUpRevisions, long footprintKeys) {}
