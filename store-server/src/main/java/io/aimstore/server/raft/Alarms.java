package io.aimstore.server.raft;

import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.internal.AlarmChange;
import io.aimstore.internal.AlarmChangeResult;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.core.ActiveAlarms;
import io.aimstore.server.core.Store;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The entry point for raising and clearing alarms from inside a member: any server component (the
 * quota check, the corruption check) calls {@link #raise} or {@link #clear}; the change goes
 * through the Raft log as the store's own {@code AlarmChange} command, so every member applies it
 * at the same place, it survives restarts and travels in snapshots. Nothing here changes state
 * directly. Raising an active alarm or clearing an inactive one is harmless (apply ignores it), so
 * a periodic check may simply call again.
 *
 * <p>For example, a corruption check that finds member n2's keyspace hash differing:
 *
 * <pre>
 *   alarms.raise(AlarmType.CORRUPT, "n2", "keyspace hash at revision 1200 differs from n1's");
 * </pre>
 *
 * <p>What an alarm does: NOSPACE refuses writes that can grow the store ({@code
 * core.StorageQuota}); CORRUPT only shows (gauge {@code aimstore.alarm.active}, {@code aimctl
 * status}, {@code aimctl alarm list}). Admins clear alarms with {@code aimctl alarm disarm}.
 */
public final class Alarms {
  private final AimStateMachine stateMachine;
  private final Function<Command.Builder, CompletableFuture<CommandResult>> proposer;

  /**
   * @param proposer proposes a command as the store itself (no caller identity), e.g. {@code
   *     CommandProposer::submit}
   */
  public Alarms(
      AimStateMachine stateMachine,
      Function<Command.Builder, CompletableFuture<CommandResult>> proposer) {
    this.stateMachine = stateMachine;
    this.proposer = proposer;
  }

  /**
   * Raises {@code type} for {@code member}, with {@code detail} saying why (shown to operators and
   * in the audit log). Completes once the leader has applied it.
   */
  public CompletableFuture<AlarmChangeResult> raise(AlarmType type, String member, String detail) {
    return raise(Alarm.newBuilder().setAlarm(type).setMember(member).setDetail(detail).build());
  }

  /** Raises {@code alarm} (type, member, detail; NOSPACE also size and quota). */
  public CompletableFuture<AlarmChangeResult> raise(Alarm alarm) {
    return change(AlarmChange.Action.RAISE, alarm);
  }

  /** Clears {@code type} for {@code member}; {@code why} goes to the audit log. */
  public CompletableFuture<AlarmChangeResult> clear(AlarmType type, String member, String why) {
    return change(
        AlarmChange.Action.CLEAR,
        Alarm.newBuilder().setAlarm(type).setMember(member).setDetail(why).build());
  }

  /** The alarms this member has applied so far. */
  public ActiveAlarms active() {
    return stateMachine.read(Store::alarms);
  }

  private CompletableFuture<AlarmChangeResult> change(AlarmChange.Action action, Alarm alarm) {
    return proposer
        .apply(
            Command.newBuilder()
                .setAlarmChange(AlarmChange.newBuilder().setAction(action).setAlarm(alarm)))
        .thenApply(CommandResult::getAlarmChange);
  }
}
