package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import io.aimstore.api.v1.CompactionResponse;
import io.aimstore.ops.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "compact",
    description = {
      "Discard history before revision REV.",
      "Reads and watches below it fail afterwards, naming the compact revision."
    })
public final class CompactCommand extends WriteCommand {
  @Parameters(index = "0", paramLabel = "REV")
  long revision;

  @Override
  public String howToCheck() {
    return "aimctl status -o json: compact_revision";
  }

  @Override
  public Integer call() {
    CompactionResponse resp = await(client().kv().compact(revision));
    JsonObject o = Json.proto(resp);
    o.addProperty("compact_revision", revision);
    return show(o, () -> out().println("compacted history before revision " + revision));
  }
}
