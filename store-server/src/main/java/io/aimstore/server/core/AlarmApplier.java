package io.aimstore.server.core;

import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.internal.AlarmChange;
import io.aimstore.internal.AlarmChangeResult;
import java.util.List;

/**
 * Applies alarm changes to the {@link AlarmTable}. Raising an alarm that is already active, or
 * clearing one that is not, changes nothing (members may propose the same change twice: each checks
 * on its own timer). Every change is audited: the store's own raise and clear with an empty
 * operator, an admin's disarm with the admin's identity and reason.
 */
final class AlarmApplier {
  private final ApplyContext ctx;
  private final AuditLog audit;

  AlarmApplier(ApplyContext ctx, AuditLog audit) {
    this.ctx = ctx;
    this.audit = audit;
  }

  AlarmChangeResult apply(AlarmChange c) {
    Alarm a = c.getAlarm();
    AlarmChangeResult.Builder out = AlarmChangeResult.newBuilder();
    switch (c.getAction()) {
      case RAISE -> {
        checkTarget(a);
        if (!ctx.alarms().isActive(a.getAlarm(), a.getMember())) {
          Alarm raised = a.toBuilder().setRaisedAtMs(ctx.now()).build();
          AlarmTable.put(ctx.batch, raised);
          ctx.alarms(ctx.alarms().with(raised));
          out.addChanged(raised)
              .setAudit(
                  audit.write(
                      AuditRecord.newBuilder()
                          .setAction("alarm-raise")
                          .setSubject(subject(raised))
                          .setReason(raised.getDetail())));
        }
      }
      case CLEAR -> {
        checkTarget(a);
        for (Alarm active : ctx.alarms().of(a.getAlarm())) {
          if (active.getMember().equals(a.getMember())) {
            remove(active, out);
            out.setAudit(
                audit.write(
                    AuditRecord.newBuilder()
                        .setAction("alarm-clear")
                        .setSubject(subject(active))
                        .setReason(a.getDetail())));
          }
        }
      }
      case DISARM -> {
        if (c.getReason().isBlank()) {
          throw StoreException.invalid("disarming alarms needs a reason (audit log)");
        }
        if (!a.getMember().isEmpty()) {
          MemberApplier.checkName(a.getMember());
        }
        List<Alarm> matching =
            ctx.alarms().list().stream()
                .filter(x -> a.getAlarm() == AlarmType.ALARM_NONE || x.getAlarm() == a.getAlarm())
                .filter(x -> a.getMember().isEmpty() || x.getMember().equals(a.getMember()))
                .toList();
        for (Alarm x : matching) {
          remove(x, out);
        }
        String which =
            (a.getAlarm() == AlarmType.ALARM_NONE ? "every alarm" : "alarm " + a.getAlarm())
                + (a.getMember().isEmpty() ? " on every member" : " on member " + a.getMember());
        out.setAudit(
            audit.write(
                AuditRecord.newBuilder()
                    .setAction("alarm-disarm")
                    .setSubject(which + " (" + matching.size() + " cleared)")
                    .setReason(c.getReason())));
      }
      default -> throw StoreException.invalid("unknown alarm action " + c.getAction());
    }
    return out.addAllActive(ctx.alarms().list()).build();
  }

  private void remove(Alarm a, AlarmChangeResult.Builder out) {
    AlarmTable.delete(ctx.batch, a);
    ctx.alarms(ctx.alarms().without(a));
    out.addChanged(a);
  }

  private static void checkTarget(Alarm a) {
    if (a.getAlarm() != AlarmType.NOSPACE && a.getAlarm() != AlarmType.CORRUPT) {
      throw StoreException.invalid("an alarm is NOSPACE or CORRUPT, got " + a.getAlarm());
    }
    MemberApplier.checkName(a.getMember());
  }

  static String subject(Alarm a) {
    return "alarm " + a.getAlarm() + " on member " + a.getMember();
  }
}
