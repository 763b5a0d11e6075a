package io.aimstore.server.api;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Permission;
import io.aimstore.internal.Command;
import io.aimstore.server.core.Access;
import io.aimstore.server.core.CommandAccess;
import io.aimstore.server.core.StorageQuota;
import io.aimstore.server.core.Store;
import io.aimstore.server.raft.AimStateMachine;

/**
 * The api layer's permission checks, with the roles this member has applied: every request is
 * checked before it is proposed or served, and apply checks every command again with the roles in
 * force at its place in the log (see {@link CommandAccess}).
 */
public final class Guard {
  private final AimStateMachine stateMachine;

  public Guard(AimStateMachine stateMachine) {
    this.stateMachine = stateMachine;
  }

  /** What the current call's identity may do. Call it in the handler (see {@link Caller}). */
  public Access access() {
    String identity = Caller.identity();
    return stateMachine.read(Store::policy).accessOf(identity);
  }

  /**
   * Stamps {@code command} with the caller's identity and checks it may be proposed: permissions,
   * and the storage quota ({@link #checkQuota}).
   */
  public Command.Builder authorize(Command.Builder command) {
    Access a = access();
    command.setCaller(a.identity());
    CommandAccess.check(command, a);
    checkQuota(command);
    return command;
  }

  /**
   * RESOURCE_EXHAUSTED (reason NOSPACE) when a NOSPACE alarm is active and {@code command} can grow
   * the store: the fast answer; apply decides the same again at the command's place in the log.
   */
  public void checkQuota(Command.Builder command) {
    StorageQuota.check(command, stateMachine.read(Store::alarms));
  }

  /** PERMISSION_DENIED unless the caller may {@code p} every key of {@code [key, rangeEnd)}. */
  public Access require(Permission p, ByteString key, ByteString rangeEnd) {
    Access a = access();
    a.require(p, key, rangeEnd);
    return a;
  }
}
