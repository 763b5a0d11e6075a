package io.aimstore.ops.cli;

import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "del", description = "Delete a key, or every key with a prefix, in one revision.")
public final class DelCommand extends WriteCommand {
  @Mixin KeyRange keys;

  @Option(
      names = "--fence",
      paramLabel = "LOCK=TOKEN",
      description = "Only delete if TOKEN still holds LOCK.")
  String fence;

  @Override
  public String howToCheck() {
    return keys.getCommand();
  }

  @Override
  public Integer call() {
    DeleteRangeRequest.Builder r =
        DeleteRangeRequest.newBuilder().setKey(keys.key()).setRangeEnd(keys.rangeEnd());
    if (fence != null) {
      r.setFence(PutCommand.parseFence(fence));
    }
    DeleteRangeResponse resp = await(client().kv().delete(r.build()));
    return show(
        resp,
        () ->
            out()
                .println(
                    resp.getDeleted()
                        + " deleted (revision "
                        + resp.getHeader().getRevision()
                        + ")"));
  }
}
