package io.aimstore.server.core;

import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.CommandOrBuilder;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.ErrorReason;
import java.util.List;
import java.util.Locale;

/**
 * What a NOSPACE alarm refuses (etcd's "capped" applier): while any member's NOSPACE alarm is
 * active, commands that can grow the store fail with RESOURCE_EXHAUSTED (reason NOSPACE) — puts, a
 * txn with a put in either branch, lease grants, lock claims, aim config puts, rollout starts,
 * promotions and resumes, drone reports. What frees space or keeps sessions alive goes on: reads,
 * deletes, compaction, lease keep-alives (never in the log) and revokes, lock releases, rollout
 * pauses and rollbacks, admin actions (roles, members, force-release, snapshot save) and alarm
 * changes.
 *
 * <p>The decision depends only on the command and the replicated alarms, so the api layer answers
 * fast with it before proposing, and apply decides it again at the command's place in the log:
 * every member refuses the same commands.
 */
public final class StorageQuota {
  /** Where the runbook explains a full disk. */
  public static final String RUNBOOK = "docs/operations.md#full-disk";

  private StorageQuota() {}

  /** Whether {@code c} can grow the store (and is refused while NOSPACE is active). */
  public static boolean grows(CommandOrBuilder c) {
    return switch (c.getKindCase()) {
      case PUT, LEASE_GRANT, LOCK_ACQUIRE, CONFIG_PUT, ROLLOUT_START, DRONE_REPORT -> true;
      case TXN -> hasPut(c.getTxn());
      case ROLLOUT_ACTION ->
          switch (c.getRolloutAction().getKind()) {
            case PROMOTE, RESUME -> true;
            default -> false;
          };
      default -> false;
    };
  }

  private static boolean hasPut(TxnRequest t) {
    for (List<RequestOp> ops : List.of(t.getSuccessList(), t.getFailureList())) {
      for (RequestOp op : ops) {
        if (op.hasRequestPut()) {
          return true;
        }
      }
    }
    return false;
  }

  /** RESOURCE_EXHAUSTED (reason NOSPACE) if {@code c} can grow the store and NOSPACE is active. */
  public static void check(CommandOrBuilder c, ActiveAlarms alarms) {
    if (!grows(c)) {
      return;
    }
    List<Alarm> full = alarms.of(AlarmType.NOSPACE);
    if (!full.isEmpty()) {
      throw refusal(full);
    }
  }

  static StoreException refusal(List<Alarm> full) {
    Alarm a = full.get(0);
    String where =
        full.size() == 1
            ? "member " + a.getMember()
            : "members " + String.join(", ", full.stream().map(Alarm::getMember).toList());
    String quota = a.getQuotaBytes() > 0 ? " of " + size(a.getQuotaBytes()) : "";
    return new StoreException(
        ErrorCode.RESOURCE_EXHAUSTED,
        "storage quota"
            + quota
            + " exceeded on "
            + where
            + " (NOSPACE alarm): compact history with 'aimctl compact REV' and delete what is"
            + " not needed, then the alarm clears when the store is back under the quota; see "
            + RUNBOOK,
        ErrorReason.NOSPACE);
  }

  /** A size for people: "2.0 GiB", "512.0 KiB", "900 bytes". */
  public static String size(long bytes) {
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
