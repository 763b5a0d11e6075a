package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aimstore.api.SnapshotFile;
import io.aimstore.api.v1.SnapshotMember;
import io.aimstore.api.v1.SnapshotMetadata;
import io.aimstore.ops.Aimctl.CommandFailure;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.ExitCodes;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "snapshot",
    description = {
      "Backups: save a snapshot of the whole store, check one.",
      "Restore one into a new cluster with 'aimstore restore' (docs/operations.md)."
    },
    subcommands = {SnapshotCommand.SaveCommand.class, SnapshotCommand.StatusCommand.class})
public final class SnapshotCommand {

  @Command(
      name = "save",
      description = {
        "Save a consistent point-in-time snapshot of the store, streamed from a member, to FILE.",
        "Admins only; writes an audit record (snapshot-save). Shows progress on stderr when it"
            + " takes more than two seconds. FILE is written only once its checksum is verified."
      })
  public static final class SaveCommand extends CommandBase {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(
        names = "--max-time",
        defaultValue = "1h",
        paramLabel = "DURATION",
        description = "How long the download may take. Default: ${DEFAULT-VALUE}.")
    Duration maxTime;

    @Override
    public Integer call() {
      if (Files.exists(file)) {
        throw new UsageError(file + " exists; save to a new file");
      }
      Path part = file.resolveSibling(file.getFileName() + ".part");
      ProgressLine progress = new ProgressLine(err(), System.nanoTime());
      SnapshotFile.Contents contents;
      try {
        try (OutputStream out = Files.newOutputStream(part)) {
          await(client().maintenance().snapshot(out, progress::update, maxTime));
        } finally {
          progress.finish();
        }
        contents = SnapshotFile.verify(part);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new CommandFailure(e.getMessage(), ExitCodes.FAILED);
      } finally {
        try {
          Files.deleteIfExists(part);
        } catch (IOException e) {
          err().println("aimctl: cannot delete " + part + ": " + e.getMessage());
        }
      }
      if (json()) {
        print(toJson(file, contents));
      } else {
        out().println("saved snapshot " + file);
        print(toTable(contents));
      }
      return 0;
    }
  }

  @Command(
      name = "status",
      aliases = "inspect",
      description = {
        "Verify a snapshot file's checksum and print what it holds: revision, cluster, members,"
            + " time, size. Exit 1 with one line naming the file when it is damaged."
      })
  public static final class StatusCommand extends CommandBase {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(file)) {
        throw new UsageError("no snapshot file " + file);
      }
      SnapshotFile.Contents contents;
      try {
        contents = SnapshotFile.verify(file);
      } catch (IOException e) {
        throw new CommandFailure(e.getMessage(), ExitCodes.FAILED);
      }
      if (json()) {
        print(toJson(file, contents));
      } else {
        print(toTable(contents));
      }
      return 0;
    }
  }

  static JsonObject toJson(Path file, SnapshotFile.Contents c) {
    SnapshotMetadata m = c.metadata();
    JsonObject o = new JsonObject();
    o.addProperty("file", file.toString());
    o.addProperty("checksum", "ok");
    o.addProperty("sha256", c.sha256());
    o.addProperty("size_bytes", c.sizeBytes());
    o.addProperty("format_version", m.getFormatVersion());
    o.addProperty("cluster_name", m.getClusterName());
    o.addProperty("cluster_id", Json.hexId(m.getClusterId()));
    o.addProperty("member", m.getMember());
    JsonArray members = new JsonArray();
    for (SnapshotMember member : m.getMembersList()) {
      JsonObject e = new JsonObject();
      e.addProperty("name", member.getName());
      e.addProperty("peer_address", member.getPeerAddress());
      members.add(e);
    }
    o.add("members", members);
    o.addProperty("revision", m.getRevision());
    o.addProperty("compact_revision", m.getCompactRevision());
    o.addProperty("raft_term", m.getRaftTerm());
    o.addProperty("raft_index", m.getRaftIndex());
    o.addProperty("created_at_ms", m.getCreatedAtMs());
    o.addProperty("files", m.getFiles());
    o.addProperty("payload_bytes", m.getPayloadBytes());
    return o;
  }

  static Table toTable(SnapshotFile.Contents c) {
    SnapshotMetadata m = c.metadata();
    return new Table("FIELD", "VALUE")
        .row("checksum", "ok (sha256 " + c.sha256() + ")")
        .row("size", c.sizeBytes() + " bytes")
        .row("revision", m.getRevision())
        .row("compact revision", m.getCompactRevision())
        .row("cluster", m.getClusterName() + " (id " + Json.hexId(m.getClusterId()) + ")")
        .row("taken by", m.getMember())
        .row(
            "members",
            m.getMembersList().stream()
                .map(e -> e.getName() + "@" + e.getPeerAddress())
                .collect(Collectors.joining(" ")))
        .row("created", Instant.ofEpochMilli(m.getCreatedAtMs()))
        .row("raft term/index", m.getRaftTerm() + "/" + m.getRaftIndex())
        .row("format version", m.getFormatVersion());
  }

  /**
   * The progress of a download on stderr, once it has taken more than two seconds: bytes, share and
   * rate, redrawn in place at most twice a second.
   */
  static final class ProgressLine {
    private static final long QUIET_NANOS = 2_000_000_000L;
    private static final long REDRAW_NANOS = 500_000_000L;

    private final PrintStream err;
    private final long start;
    private long lastDraw;
    private long received;
    private long total;
    private boolean drawn;

    ProgressLine(PrintStream err, long start) {
      this.err = err;
      this.start = start;
    }

    synchronized void update(long received, long total) {
      this.received = received;
      this.total = total;
      long now = System.nanoTime();
      if (now - start >= QUIET_NANOS && now - lastDraw >= REDRAW_NANOS) {
        draw(now);
      }
    }

    synchronized void finish() {
      if (drawn) {
        draw(System.nanoTime());
        err.println();
      }
    }

    private void draw(long now) {
      lastDraw = now;
      drawn = true;
      double seconds = Math.max(1e-3, (now - start) / 1e9);
      String share = total > 0 ? String.format(" (%d%%)", received * 100 / total) : "";
      err.print(
          String.format(
              "\rsnapshot: %s of %s%s, %s/s, %.0fs",
              mib(received),
              total > 0 ? mib(total) : "?",
              share,
              mib(received / seconds),
              seconds));
      err.flush();
    }

    private static String mib(double bytes) {
      return String.format("%.1f MiB", bytes / (1024 * 1024));
    }
  }
}
