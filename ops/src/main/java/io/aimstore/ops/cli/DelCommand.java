package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "del", description = "Delete a key, or every key with a prefix.")
public final class DelCommand extends CommandBase {
  @Parameters(index = "0", paramLabel = "KEY")
  String key;

  @Option(names = "--prefix", description = "Every key starting with KEY.")
  boolean prefix;

  @Option(
      names = "--fence",
      paramLabel = "LOCK=TOKEN",
      description = "Only delete if TOKEN still holds LOCK.")
  String fence;

  @Override
  public Integer call() {
    ByteString k = Text.parse(key);
    DeleteRangeRequest.Builder r = DeleteRangeRequest.newBuilder().setKey(k);
    if (prefix) {
      r.setRangeEnd(KeyRanges.prefixEnd(k));
    }
    if (fence != null) {
      r.setFence(PutCommand.parseFence(fence));
    }
    DeleteRangeResponse resp = await(client().kv().delete(r.build()));
    if (json()) {
      JsonObject o = new JsonObject();
      o.add("header", Json.header(resp.getHeader()));
      o.addProperty("deleted", resp.getDeleted());
      print(o);
    } else {
      out()
          .println(
              resp.getDeleted() + " deleted (revision " + resp.getHeader().getRevision() + ")");
    }
    return 0;
  }
}
