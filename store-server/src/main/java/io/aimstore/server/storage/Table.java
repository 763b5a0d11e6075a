package io.aimstore.server.storage;

import java.nio.charset.StandardCharsets;

/**
 * The tables (RocksDB column families) of the store. The storage layer only stores bytes; what a
 * key or value means is decided by the core.
 */
public enum Table {
  /** Every version of every key: escaped user key + revision → key record. */
  KV,
  /** Change history by revision, for watches and compaction: revision + sub → user key. */
  EVENTS,
  /** Leases: id → lease record. */
  LEASES,
  /** Keys attached to a lease: id + user key → empty. */
  LEASE_KEYS,
  /** Lock bookkeeping: lock name → lock record. */
  LOCKS,
  /** Single values: revision, compact revision, applied index, cluster identity, counters. */
  META,
  /** Proposal ids of recently applied log entries: log index → proposal id. */
  PROPOSALS,
  /** Audit records of admin actions, never compacted: sequence number → audit record. */
  AUDIT,
  /** Active alarms (NOSPACE, CORRUPT): alarm type + member name → alarm record. */
  ALARMS;

  /** The column family name. */
  public byte[] columnFamilyName() {
    return name().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
  }
}
