package io.aimstore.ops.cli;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.ops.output.Text;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** KEY and --prefix, as get, del and watch take them: one key, or every key starting with KEY. */
final class KeyRange {
  @Parameters(index = "0", paramLabel = "KEY")
  String key;

  @Option(names = "--prefix", description = "Every key starting with KEY.")
  boolean prefix;

  /** KEY as bytes ("base64:..." for binary). */
  ByteString key() {
    return Text.parse(key);
  }

  /** The end of the range: with --prefix the end of the prefix, else empty (KEY alone). */
  ByteString rangeEnd() {
    return prefix ? KeyRanges.prefixEnd(key()) : ByteString.EMPTY;
  }

  /** The command that shows the range: "aimctl get KEY [--prefix]". */
  String getCommand() {
    return "aimctl get " + key + (prefix ? " --prefix" : "");
  }
}
