package io.aimstore.testkit;

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

  @Test
  void residentSetSizeFromStatus() {
    String status =
        "Name:\tjava\nState:\tS (sleeping)\nVmPeak:\t 4000000 kB\nVmRSS:\t  123456 kB\n"
            + "RssAnon:\t  100000 kB\nThreads:\t42\n";
    assertThat(ProcStat.rssKib(status)).isEqualTo(123456);
    assertThatThrownBy(() -> ProcStat.rssKib("Name:\tkthreadd\nState:\tS\n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ProcStat.rssKib(ProcessHandle.current().pid())).isPositive();
    assertThat(ProcStat.rssKib(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void heapUsedFromHeapInfo() {
    String g1 =
        "Command executed successfully\n"
            + " garbage-first heap   total 40960K, used 5956K [0x0000000687400000,"
            + " 0x0000000800000000)\n"
            + "  region size 4096K, 0 young (0K), 0 survivors (0K)\n"
            + " Metaspace       used 8921K, committed 9088K, reserved 1114112K\n"
            + "  class space    used 1062K, committed 1152K, reserved 1048576K\n";
    assertThat(Commands.heapUsedKib(g1)).isEqualTo(5956);
    assertThat(Commands.heapUsedKib("Could not attach to 4242")).isEqualTo(-1);
  }

  @Test
  void zombiesHaveExited() {
    assertThat(ProcStat.state("4242 (java) S 1 4242 4242 0 -1 4194560")).isEqualTo('S');
    assertThat(ProcStat.state("4242 (a) b) Z 1 4242")).isEqualTo('Z');
    assertThat(ProcStat.exited(ProcessHandle.current().pid())).isFalse();
    assertThat(ProcStat.exited(Long.MAX_VALUE)).isTrue();
  }
}
