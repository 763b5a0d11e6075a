package io.aimstore.server.core;

import io.aimstore.internal.CommandResult;
import io.aimstore.internal.EntryResult;
import java.util.List;

/**
 * The outcome of applying one log entry: one result per command (in order), the events of each
 * revision it created, and what it did to leases and lock holders.
 */
public record ApplyResult(
    List<CommandResult> results,
    List<RevisionEvents> events,
    List<LeaseChange> leaseChanges,
    List<LockChange> lockChanges) {

  /** An entry at or below the store's applied index: already applied before a restart. */
  public static final ApplyResult ALREADY_APPLIED =
      new ApplyResult(List.of(), List.of(), List.of(), List.of());

  public EntryResult toProto() {
    return EntryResult.newBuilder().addAllResults(results).build();
  }
}
