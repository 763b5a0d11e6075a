package io.aimstore.ops.cli;

import io.aimstore.ops.Aimctl;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code aimctl completion bash|zsh}: a completion script for the whole command tree. */
@Command(
    name = "completion",
    description = {
      "Print a shell completion script for bash or zsh.",
      "Load it with: source <(aimctl completion bash), or put it in your shell's startup file."
    })
public final class CompletionCommand extends CommandBase {
  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new Aimctl.UsageError("completion is for bash or zsh, not '" + shell + "'");
    }
    // picocli's script serves both: under zsh it loads bashcompinit itself.
    out().print(AutoComplete.bash("aimctl", spec.root().commandLine()));
    out().flush();
    return 0;
  }
}
