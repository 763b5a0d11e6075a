package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.AlarmChange;
import io.aimstore.internal.CommandOrBuilder;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.RevokeReason;

/**
 * The permissions a command needs, whatever the state: the api layer checks them before proposing
 * (so a refused request never reaches the log) and apply checks them again with the roles in force
 * at that point of the log. What depends on state — who owns a lease or a lock claim — only apply
 * decides.
 */
public final class CommandAccess {
  private CommandAccess() {}

  /** PERMISSION_DENIED naming the identity and the missing permission, unless allowed. */
  public static void check(CommandOrBuilder c, Access a) {
    switch (c.getKindCase()) {
      case PUT -> a.require(Permission.WRITE, c.getPut().getKey(), ByteString.EMPTY);
      case DELETE_RANGE -> delete(a, c.getDeleteRange());
      case TXN -> txn(a, c.getTxn());
      case COMPACT -> a.requireAdmin("compact the history");
      case MEMBER_CHANGE -> a.requireAdmin("change the cluster membership");
      case LEASE_GRANT -> a.require(Permission.LEASE, "grant leases");
      case LEASE_ADOPT -> a.require(Permission.LEASE, "adopt leases");
      case LEASE_REVOKE -> {
        if (c.getLeaseRevoke().getReason() != RevokeReason.REVOKED) {
          system(a, "expire leases");
        }
        a.require(Permission.LEASE, "revoke leases");
      }
      case LEASE_CHECKPOINT -> system(a, "checkpoint leases");
      case ROLLOUT_TICK -> system(a, "time out rollouts");
      case LOCK_ACQUIRE ->
          a.requireName(Permission.LOCK, "take lock", c.getLockAcquire().getName());
      case LOCK_RELEASE ->
          a.requireName(Permission.LOCK, "release lock", c.getLockRelease().getName());
      case LOCK_FORCE_RELEASE ->
          a.requireAdmin("force-release lock " + c.getLockForceRelease().getRequest().getName());
      case LOCK_UNQUARANTINE ->
          a.requireAdmin("lift the quarantine of lock " + c.getLockUnquarantine().getName());
      case CONFIG_PUT ->
          a.require(
              Permission.WRITE,
              AimKeys.config(c.getConfigPut().getFleet(), c.getConfigPut().getName()),
              ByteString.EMPTY);
      case ROLLOUT_START ->
          a.require(
              Permission.WRITE, AimKeys.rollout(c.getRolloutStart().getFleet()), ByteString.EMPTY);
      case ROLLOUT_ACTION ->
          a.require(
              Permission.WRITE,
              AimKeys.rollout(c.getRolloutAction().getRequest().getFleet()),
              ByteString.EMPTY);
      case DRONE_REPORT ->
          a.require(
              Permission.WRITE,
              AimKeys.report(
                  c.getDroneReport().getFleet(), c.getDroneReport().getReport().getDrone()),
              ByteString.EMPTY);
      case FLEET_HOLD ->
          a.requireAdmin(
              (c.getFleetHold().getHold() ? "hold" : "release")
                  + " fleet "
                  + c.getFleetHold().getRequest().getFleet());
      case AUTH_CHANGE -> a.requireAdmin("change roles or bindings");
      case SNAPSHOT_SAVE -> a.requireAdmin("save a snapshot of the store");
      case ALARM_CHANGE -> {
        if (c.getAlarmChange().getAction() == AlarmChange.Action.DISARM) {
          a.requireAdmin("disarm alarms");
        } else {
          system(a, "raise or clear alarms");
        }
      }
      default -> {}
    }
  }

  private static void delete(Access a, DeleteRangeRequest d) {
    a.require(Permission.WRITE, d.getKey(), d.getRangeEnd());
  }

  private static void txn(Access a, TxnRequest t) {
    for (Compare c : t.getCompareList()) {
      a.require(Permission.READ, c.getKey(), c.getRangeEnd());
    }
    for (RequestOp op : t.getSuccessList()) {
      op(a, op);
    }
    for (RequestOp op : t.getFailureList()) {
      op(a, op);
    }
  }

  private static void op(Access a, RequestOp op) {
    switch (op.getRequestCase()) {
      case REQUEST_RANGE ->
          a.require(
              Permission.READ, op.getRequestRange().getKey(), op.getRequestRange().getRangeEnd());
      case REQUEST_PUT ->
          a.require(Permission.WRITE, op.getRequestPut().getKey(), ByteString.EMPTY);
      case REQUEST_DELETE_RANGE -> delete(a, op.getRequestDeleteRange());
      default -> {}
    }
  }

  /** Commands only the store itself proposes. */
  private static void system(Access a, String what) {
    if (!a.identity().equals(Access.SYSTEM_IDENTITY)) {
      throw new StoreException(
          ErrorCode.PERMISSION_DENIED, a.identity() + " may not " + what + ": only the store does");
    }
  }
}
