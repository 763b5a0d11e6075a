package io.aimstore.ops.cli;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "del", description = "Delete a key, or every key with a prefix, in one revision.")
public final class DelCommand extends WriteCommand {
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
  public String howToCheck() {
    return "aimctl get " + key + (prefix ? " --prefix" : "");
  }

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
      print(Json.proto(resp));
    } else {
      out()
          .println(
              resp.getDeleted() + " deleted (revision " + resp.getHeader().getRevision() + ")");
    }
    return 0;
  }
}
