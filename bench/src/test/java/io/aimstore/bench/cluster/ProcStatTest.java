package io.aimstore.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void sumsUserAndSystemTicks() {
    String line =
        "4242 (java) S 1 4242 4242 0 -1 4194560 81234 0 12 0 1500 250 0 0 20 0 57 0 98765 "
            + "4000000000 60000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

    assertThat(ProcStat.cpuTicks(line)).isEqualTo(1750);
  }

  @Test
  void commandNamesWithSpacesAndParenthesesDoNotShiftFields() {
    String line = "77 (my (odd) name) R 1 77 77 0 -1 0 0 0 0 0 30 12 0 0 20 0 1 0 5 0 0";

    assertThat(ProcStat.cpuTicks(line)).isEqualTo(42);
  }

  @Test
  void rejectsWhatIsNotAStatLine() {
    assertThatThrownBy(() -> ProcStat.cpuTicks("garbage"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThisProcess() {
    assertThat(ProcStat.cpuSeconds(ProcessHandle.current().pid())).isGreaterThanOrEqualTo(0);
    assertThat(ProcStat.cpuSeconds(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void machineBusyIsEverythingButIdleAndIowait() {
    String stat =
        "cpu  100 5 40 9000 30 2 3 7 0 0\n" + "cpu0 50 2 20 4500 15 1 1 3 0 0\n" + "intr 12345\n";

    assertThat(ProcStat.machineBusyTicks(stat)).isEqualTo(100 + 5 + 40 + 2 + 3 + 7);
    assertThat(ProcStat.machineBusySeconds()).isPositive();
  }
}
