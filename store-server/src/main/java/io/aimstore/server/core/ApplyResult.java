package io.aimstore.server.core;

import io.aimstore.internal.CommandResult;
import io.aimstore.internal.EntryResult;
import java.util.List;

/**
 * The outcome of applying one log entry: one result per command (in order), the events of each
 * revision it created, and what it did to leases and lock holders.
 *
 * @param duplicateOf non-zero when the entry repeated a proposal first applied at this log index:
 *     nothing was applied and every list is empty
 */
public record ApplyResult(
    List<CommandResult> results,
    List<RevisionEvents> events,
    List<LeaseChange> leaseChanges,
    List<LockChange> lockChanges,
    long duplicateOf) {

  /** An entry at or below the store's applied index: already applied before a restart. */
  public static final ApplyResult ALREADY_APPLIED =
      new ApplyResult(List.of(), List.of(), List.of(), List.of(), 0);

  /** A second copy of the proposal first applied at {@code firstIndex}: applied as nothing. */
  public static ApplyResult duplicateOf(long firstIndex) {
    return new ApplyResult(List.of(), List.of(), List.of(), List.of(), firstIndex);
  }

  public EntryResult toProto() {
    return EntryResult.newBuilder().addAllResults(results).setDuplicateOf(duplicateOf).build();
  }
}
