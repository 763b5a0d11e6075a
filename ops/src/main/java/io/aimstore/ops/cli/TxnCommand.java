package io.aimstore.ops.cli;

import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.ResponseOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "txn",
    description = {
      "Run a transaction, read from --file or standard input, atomically in one revision.",
      "Its text: compares, a blank line, success operations, a blank line, failure operations"
          + " (etcdctl's format); or JSON. Example:",
      "  value(\"/aim/f1/cfg\") = \"v1\"",
      "",
      "  put /aim/f1/cfg v2",
      "",
      "  get /aim/f1/cfg"
    })
public final class TxnCommand extends WriteCommand {
  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the txn from FILE instead of standard input.")
  Path file;

  @Option(
      names = "--fence",
      paramLabel = "LOCK=TOKEN",
      description = "Run only while TOKEN holds LOCK.")
  String fence;

  @Override
  public Integer call() throws IOException {
    String spec =
        file != null
            ? Files.readString(file, StandardCharsets.UTF_8)
            : new String(root().in().readAllBytes(), StandardCharsets.UTF_8);
    if (spec.isBlank()) {
      throw new UsageError(
          "empty txn: give it on standard input or with --file (see aimctl txn --help)");
    }
    TxnRequest.Builder req = TxnSpec.parse(spec).toBuilder();
    if (fence != null) {
      req.setFence(PutCommand.parseFence(fence));
    }
    TxnResponse resp = await(client().kv().txn(req.build()));
    if (json()) {
      print(Json.proto(resp));
      return 0;
    }
    out()
        .println(
            (resp.getSucceeded() ? "SUCCEEDED" : "FAILED (compares did not hold)")
                + " (revision "
                + resp.getHeader().getRevision()
                + ")");
    for (ResponseOp r : resp.getResponsesList()) {
      switch (r.getResponseCase()) {
        case RESPONSE_PUT -> out().println("put: OK");
        case RESPONSE_DELETE_RANGE ->
            out().println("del: " + r.getResponseDeleteRange().getDeleted() + " deleted");
        case RESPONSE_RANGE -> {
          if (r.getResponseRange().getKvsCount() == 0) {
            out().println("get: (no keys)");
          }
          for (KeyValue kv : r.getResponseRange().getKvsList()) {
            out().println("get: " + Text.bytes(kv.getKey()) + " = " + Text.bytes(kv.getValue()));
          }
        }
        default -> {}
      }
    }
    return 0;
  }
}
