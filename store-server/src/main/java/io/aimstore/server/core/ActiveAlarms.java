package io.aimstore.server.core;

import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.AlarmType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The alarms active at one point of the log, by type then member (immutable). Every member that has
 * applied the same entries holds the same list: it is read from {@link AlarmTable} and changed only
 * by applied {@code AlarmChange} commands.
 */
public final class ActiveAlarms {
  static final Comparator<Alarm> ORDER =
      Comparator.comparingInt((Alarm a) -> a.getAlarmValue()).thenComparing(Alarm::getMember);

  public static final ActiveAlarms NONE = new ActiveAlarms(List.of());

  private final List<Alarm> alarms;

  ActiveAlarms(List<Alarm> alarms) {
    List<Alarm> sorted = new ArrayList<>(alarms);
    sorted.sort(ORDER);
    this.alarms = List.copyOf(sorted);
  }

  /** Every active alarm, by type then member. */
  public List<Alarm> list() {
    return alarms;
  }

  /** The active alarms of {@code type}, by member. */
  public List<Alarm> of(AlarmType type) {
    return alarms.stream().filter(a -> a.getAlarm() == type).toList();
  }

  /** Whether an alarm of {@code type} is active for any member. */
  public boolean isActive(AlarmType type) {
    return alarms.stream().anyMatch(a -> a.getAlarm() == type);
  }

  /** Whether an alarm of {@code type} is active for {@code member}. */
  public boolean isActive(AlarmType type, String member) {
    return alarms.stream().anyMatch(a -> a.getAlarm() == type && a.getMember().equals(member));
  }

  ActiveAlarms with(Alarm a) {
    List<Alarm> next = new ArrayList<>(alarms);
    next.removeIf(x -> same(x, a));
    next.add(a);
    return new ActiveAlarms(next);
  }

  ActiveAlarms without(Alarm a) {
    List<Alarm> next = new ArrayList<>(alarms);
    next.removeIf(x -> same(x, a));
    return new ActiveAlarms(next);
  }

  static boolean same(Alarm x, Alarm y) {
    return x.getAlarm() == y.getAlarm() && x.getMember().equals(y.getMember());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActiveAlarms other && other.alarms.equals(alarms);
  }

  @Override
  public int hashCode() {
    return alarms.hashCode();
  }

  @Override
  public String toString() {
    return alarms.stream().map(a -> a.getAlarm() + "@" + a.getMember()).toList().toString();
  }
}
