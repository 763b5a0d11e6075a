package io.aimstore.ops.cli;

import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.ops.output.Table;
import io.aimstore.ops.output.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "get",
    description = {
      "Read a key, or every key with a prefix, linearizably unless --serializable.",
      "Example: aimctl get /aim/fleet-1/ --prefix -o json"
    })
public final class GetCommand extends CommandBase {
  @Mixin KeyRange keys;

  @Option(names = "--rev", description = "Read as of this past revision (0: now).")
  long revision;

  @Option(names = "--limit", description = "At most this many keys (0: no limit).")
  long limit;

  @Option(names = "--keys-only", description = "Print keys without values.")
  boolean keysOnly;

  @Option(
      names = "--serializable",
      description =
          "Read the answering member's local state (fast, possibly stale) instead of a linearizable read.")
  boolean serializable;

  @Override
  public Integer call() {
    RangeRequest.Builder r =
        RangeRequest.newBuilder()
            .setKey(keys.key())
            .setRangeEnd(keys.rangeEnd())
            .setRevision(revision)
            .setLimit(limit)
            .setKeysOnly(keysOnly)
            .setSerializable(serializable);
    RangeResponse resp = await(client().kv().get(r.build()));
    return show(resp, () -> print(resp));
  }

  private void print(RangeResponse resp) {
    if (resp.getKvsCount() == 0) {
      spec.commandLine()
          .getErr()
          .println("(no keys" + (keys.prefix ? " with that prefix" : "") + ")");
      return;
    }
    Table t =
        keysOnly
            ? new Table("KEY", "MOD_REV", "VERSION", "LEASE")
            : new Table("KEY", "VALUE", "MOD_REV", "VERSION", "LEASE");
    for (KeyValue kv : resp.getKvsList()) {
      String lease = kv.getLease() == 0 ? "-" : Long.toString(kv.getLease());
      if (keysOnly) {
        t.row(Text.bytes(kv.getKey()), kv.getModRevision(), kv.getVersion(), lease);
      } else {
        t.row(
            Text.bytes(kv.getKey()),
            Text.bytes(kv.getValue()),
            kv.getModRevision(),
            kv.getVersion(),
            lease);
      }
    }
    print(t);
    if (resp.getMore()) {
      out().println("(" + (resp.getCount() - resp.getKvsCount()) + " more keys; raise --limit)");
    }
  }
}
