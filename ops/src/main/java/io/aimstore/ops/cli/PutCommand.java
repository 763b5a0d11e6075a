package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "put", description = "Write a key.")
public final class PutCommand extends CommandBase {
  @Parameters(index = "0", paramLabel = "KEY")
  String key;

  @Parameters(index = "1", paramLabel = "VALUE", description = "Text, or base64:... for binary.")
  String value;

  @Option(
      names = "--lease",
      description = "Attach the key to this lease (it goes when the lease does).")
  long lease;

  @Option(
      names = "--fence",
      paramLabel = "LOCK=TOKEN",
      description = "Only write if TOKEN is still the holder's fencing token of LOCK.")
  String fence;

  @Option(names = "--prev-kv", description = "Print the value the key had before.")
  boolean prevKv;

  @Override
  public Integer call() {
    PutRequest.Builder r =
        PutRequest.newBuilder()
            .setKey(Text.parse(key))
            .setValue(Text.parse(value))
            .setLease(lease)
            .setPrevKv(prevKv);
    if (fence != null) {
      r.setFence(parseFence(fence));
    }
    PutResponse resp = await(client().kv().put(r.build()));
    if (json()) {
      JsonObject o = new JsonObject();
      o.add("header", Json.header(resp.getHeader()));
      o.addProperty("revision", resp.getHeader().getRevision());
      if (resp.hasPrevKv()) {
        o.add("prev_kv", Json.keyValue(resp.getPrevKv()));
      }
      print(o);
    } else {
      out().println("OK (revision " + resp.getHeader().getRevision() + ")");
      if (resp.hasPrevKv()) {
        out().println("previous: " + Text.bytes(resp.getPrevKv().getValue()));
      }
    }
    return 0;
  }

  static Fence parseFence(String spec) {
    int eq = spec.lastIndexOf('=');
    if (eq <= 0) {
      throw new UsageError("--fence must be LOCK=TOKEN, got '" + spec + "'");
    }
    try {
      return Fence.newBuilder()
          .setLock(spec.substring(0, eq))
          .setToken(Long.parseLong(spec.substring(eq + 1)))
          .build();
    } catch (NumberFormatException e) {
      throw new UsageError("--fence token must be a number, got '" + spec.substring(eq + 1) + "'");
    }
  }
}
