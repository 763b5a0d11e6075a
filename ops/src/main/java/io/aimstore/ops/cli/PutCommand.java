package io.aimstore.ops.cli;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "put",
    description = {
      "Write a key: its value from the command line, a file, or standard input.",
      "Examples: aimctl put /aim/fleet-1/mode auto; aimctl put /aim/fleet-1/blob --file b.bin;"
          + " make-config | aimctl put /aim/fleet-1/cfg --file -"
    })
public final class PutCommand extends WriteCommand {
  /** Values are read from files up to this much; the store refuses more with its own limit. */
  private static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

  @Parameters(index = "0", paramLabel = "KEY")
  String key;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "VALUE",
      description = "Text, or base64:... for binary. Omit it with --file.")
  String value;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the value (bytes as they are) from FILE; - reads standard input.")
  String file;

  @Option(
      names = "--lease",
      paramLabel = "ID",
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
  public String howToCheck() {
    return "aimctl get " + key;
  }

  @Override
  public Integer call() {
    PutRequest.Builder r =
        PutRequest.newBuilder()
            .setKey(Text.parse(key))
            .setValue(value())
            .setLease(lease)
            .setPrevKv(prevKv);
    if (fence != null) {
      r.setFence(parseFence(fence));
    }
    PutResponse resp = await(client().kv().put(r.build()));
    if (json()) {
      JsonObject o = Json.proto(resp);
      o.addProperty("revision", resp.getHeader().getRevision());
      print(o);
    } else {
      out().println("OK (revision " + resp.getHeader().getRevision() + ")");
      if (resp.hasPrevKv()) {
        out().println("previous: " + Text.bytes(resp.getPrevKv().getValue()));
      }
    }
    return 0;
  }

  private ByteString value() {
    if ((value == null) == (file == null)) {
      throw new UsageError("give the value either as VALUE or with --file FILE (- for stdin)");
    }
    if (value != null) {
      return Text.parse(value);
    }
    try (InputStream in = file.equals("-") ? root().in() : Files.newInputStream(Path.of(file))) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new UsageError(
            (file.equals("-") ? "standard input" : file)
                + " holds more than "
                + MAX_FILE_BYTES
                + " bytes; a value is at most 1 MiB");
      }
      return ByteString.copyFrom(bytes);
    } catch (NoSuchFileException e) {
      throw new UsageError("no such file: " + file);
    } catch (IOException e) {
      throw new UsageError("cannot read " + file + ": " + e.getMessage());
    }
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
