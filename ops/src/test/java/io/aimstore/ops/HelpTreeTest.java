package io.aimstore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command helps itself: walks the whole command tree and asks each command for its page in
 * every way a user would ({@code --help}, {@code -h}, {@code aimctl help PATH}). No cluster needed.
 */
class HelpTreeTest {

  record Run(int code, String out, String err) {}

  static Run aimctl(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (Aimctl a =
        new Aimctl(
            Map.of(),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))) {
      int code = a.run(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  /** Every command's path below aimctl: [], [put], [lock], [lock, run], ... */
  static List<List<String>> paths() {
    List<List<String>> out = new ArrayList<>();
    walk(new Aimctl(Map.of(), System.out, System.err).commandLine(), new ArrayList<>(), out);
    return out;
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().aliases().equals(new String[0])
                  && !name.equals(sub.getCommandName())) {
                return; // an alias of a command already walked
              }
              path.add(name);
              walk(sub, path, out);
              path.remove(path.size() - 1);
            });
  }

  private static String[] with(List<String> path, String... more) {
    List<String> a = new ArrayList<>(path);
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void everyCommandAnswersHelpAndDashH() {
    List<List<String>> paths = paths();
    assertThat(paths).hasSizeGreaterThan(40);
    for (List<String> path : paths) {
      String usage =
          "Usage: " + String.join(" ", with(List.of("aimctl"), path.toArray(String[]::new)));
      for (String flag : List.of("--help", "-h")) {
        Run r = aimctl(with(path, flag));
        assertThat(r.code()).as("aimctl %s %s exit code", path, flag).isZero();
        assertThat(r.out()).as("aimctl %s %s", path, flag).startsWith(usage);
        assertThat(r.err()).isEmpty();
      }
    }
  }

  @Test
  void helpShowsThePageOfAnyCommandAtAnyDepth() {
    for (List<String> path : paths()) {
      Run r = aimctl(with(List.of("help"), path.toArray(String[]::new)));
      assertThat(r.code()).as("aimctl help %s", path).isZero();
      assertThat(r.out()).isEqualTo(aimctl(with(path, "--help")).out());
    }
    Run unknown = aimctl("help", "lock", "frobnicate");
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("unknown command 'frobnicate'").contains("run");
  }

  /** The command lists show each command's first description line: it must be whole. */
  @Test
  void everyFirstDescriptionLineIsACompleteSentence() {
    CommandLine root = new Aimctl(Map.of(), System.out, System.err).commandLine();
    for (List<String> path : paths()) {
      CommandLine cl = root;
      for (String p : path) {
        cl = cl.getSubcommands().get(p);
      }
      String[] d = cl.getCommandSpec().usageMessage().description();
      assertThat(d).as("description of %s", path).isNotEmpty();
      assertThat(d[0].strip()).as("first description line of %s", path).endsWith(".");
    }
  }

  @Test
  void mistakesAreOneLineWithAPointerToHelpAndExitCode2() {
    Run r = aimctl("put", "--frobnicate");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines().toList()).hasSize(2).last().isEqualTo("see 'aimctl put --help'");
    assertThat(aimctl("frobnicate").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(aimctl("lock", "run").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void completionScriptsForBashAndZsh() {
    for (String shell : List.of("bash", "zsh")) {
      Run r = aimctl("completion", shell);
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("complete -F").contains("lock").contains("rollout");
    }
    assertThat(aimctl("completion", "fish").code()).isEqualTo(ExitCodes.USAGE);
  }
}
