package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import io.aimstore.api.v1.CompactionResponse;
import io.aimstore.ops.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "compact",
    description = "Discard history before REV. Reads and watches below it fail afterwards.")
public final class CompactCommand extends CommandBase {
  @Parameters(index = "0", paramLabel = "REV")
  long revision;

  @Override
  public Integer call() {
    CompactionResponse resp = await(client().kv().compact(revision));
    if (json()) {
      JsonObject o = new JsonObject();
      o.add("header", Json.header(resp.getHeader()));
      o.addProperty("compacted_to", revision);
      print(o);
    } else {
      out().println("compacted history before revision " + revision);
    }
    return 0;
  }
}
