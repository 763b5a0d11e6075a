package io.aimstore.ops.cli;

import io.aimstore.ops.Aimctl;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Parameters;

/**
 * {@code aimctl help [COMMAND...]}: the page of any command, at any depth ({@code help lock run}).
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Show the help page of aimctl or of a command (e.g. aimctl help lock run).")
public final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, e.g. lock run.")
  List<String> path = new ArrayList<>();

  private CommandLine self;
  private PrintWriter out;

  @Override
  public void init(
      CommandLine helpCommandLine,
      CommandLine.Help.ColorScheme colorScheme,
      PrintWriter out,
      PrintWriter err) {
    this.self = helpCommandLine;
    this.out = out;
  }

  @Override
  public void run() {
    CommandLine page = self.getParent();
    for (String name : path) {
      CommandLine sub = page.getSubcommands().get(name);
      if (sub == null) {
        throw new Aimctl.UsageError(
            "unknown command '"
                + name
                + "' under '"
                + page.getCommandSpec().qualifiedName()
                + "'; its commands: "
                + String.join(", ", page.getSubcommands().keySet()));
      }
      page = sub;
    }
    page.usage(out, Ansi.OFF);
    out.flush();
  }
}
