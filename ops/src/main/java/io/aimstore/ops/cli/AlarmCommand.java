package io.aimstore.ops.cli;

import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.AlarmDisarmResponse;
import io.aimstore.api.v1.AlarmType;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "alarm",
    description = {
      "The cluster's alarms: NOSPACE (a member's store is over its quota-backend-bytes: writes"
          + " that can grow the store are refused) and CORRUPT (a member's data differs from its"
          + " peers'). Members raise and clear them through the Raft log; see"
          + " docs/operations.md#full-disk."
    },
    subcommands = {AlarmCommand.ListCommand.class, AlarmCommand.DisarmCommand.class})
public final class AlarmCommand {

  @Command(name = "list", description = "Show the active alarms (none: exit 0 all the same).")
  public static final class ListCommand extends CommandBase {
    @Override
    public Integer call() {
      List<Alarm> alarms = await(client().maintenance().alarms()).getAlarmsList();
      if (json()) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.add("alarms", Json.protos(alarms));
        print(o);
        return 0;
      }
      if (alarms.isEmpty()) {
        out().println("(no alarms)");
        return 0;
      }
      print(table(alarms));
      return 0;
    }
  }

  @Command(
      name = "disarm",
      description = {
        "Clear alarms by hand (admins only; audited as alarm-disarm). A NOSPACE alarm clears by"
            + " itself once the member's store is back under 90%% of its quota; disarming one whose"
            + " member is still over its quota only lasts until that member's next check (about a"
            + " second)."
      })
  public static final class DisarmCommand extends AuditedCommand {
    @Option(
        names = "--alarm",
        paramLabel = "TYPE",
        description = "NOSPACE or CORRUPT (default: every type).")
    String type;

    @Option(
        names = "--member",
        paramLabel = "NAME",
        description = "Only this member's alarms (default: every member's).")
    String member;

    @Override
    public String howToCheck() {
      return "aimctl alarm list; aimctl audit";
    }

    @Override
    public Integer call() {
      AlarmType t = parse(type);
      AlarmDisarmResponse r = await(client().maintenance().disarm(t, member, reason));
      if (json()) {
        print(Json.proto(r));
        return 0;
      }
      AuditRecord a = r.getAudit();
      out()
          .println(
              "disarmed "
                  + r.getDisarmedCount()
                  + " alarm"
                  + (r.getDisarmedCount() == 1 ? "" : "s")
                  + " (audit record by "
                  + a.getOperator()
                  + ")");
      if (r.getAlarmsCount() == 0) {
        out().println("(no alarms left)");
      } else {
        out().println("still active:");
        print(table(r.getAlarmsList()));
      }
      return 0;
    }

    private static AlarmType parse(String s) {
      if (s == null || s.isBlank()) {
        return AlarmType.ALARM_NONE;
      }
      return switch (s.strip().toUpperCase(Locale.ROOT)) {
        case "NOSPACE" -> AlarmType.NOSPACE;
        case "CORRUPT" -> AlarmType.CORRUPT;
        default -> throw new UsageError("--alarm must be NOSPACE or CORRUPT, got '" + s + "'");
      };
    }
  }

  static Table table(List<Alarm> alarms) {
    Table t = new Table("ALARM", "MEMBER", "RAISED", "DETAIL");
    for (Alarm a : alarms) {
      t.row(a.getAlarm(), a.getMember(), Text.time(a.getRaisedAtMs()), Text.orDash(a.getDetail()));
    }
    return t;
  }

  /** One line for people: "NOSPACE on n2 since 2026-12-06 01:40:00Z (store ... over ...)". */
  static String line(Alarm a) {
    return a.getAlarm()
        + " on "
        + a.getMember()
        + " since "
        + Text.time(a.getRaisedAtMs())
        + (a.getDetail().isEmpty() ? "" : " (" + a.getDetail() + ")");
  }
}
