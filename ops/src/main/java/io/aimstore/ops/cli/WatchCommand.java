package io.aimstore.ops.cli;

import io.aimstore.api.v1.Event;
import io.aimstore.client.WatchListener;
import io.aimstore.client.WatchOptions;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Text;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "watch",
    description = {
      "Print every change to KEY (or under a prefix) as it happens, one line per event.",
      "Keeps going across member failures, never skipping or repeating a revision; with -o json"
          + " one event per line. Runs until stopped; exits 1 if the history it needs was compacted."
    })
public final class WatchCommand extends CommandBase {
  @Mixin KeyRange keys;

  @Option(
      names = "--rev",
      description = "Start at this revision (replaying history); default: changes from now.")
  long revision;

  @Option(names = "--prev-kv", description = "Also print each key's previous value.")
  boolean prevKv;

  @Override
  public Integer call() throws Exception {
    WatchOptions o =
        new WatchOptions(keys.key(), keys.rangeEnd(), revision, prevKv, false, false, false);
    CompletableFuture<Integer> ended = new CompletableFuture<>();
    client()
        .watch()
        .watch(
            o,
            new WatchListener() {
              @Override
              public void onRevision(long rev, List<Event> events) {
                for (Event e : events) {
                  print(e);
                }
                out().flush();
              }

              @Override
              public void onCompacted(long compactRevision) {
                err()
                    .println(
                        "aimctl: the history this watch needs was compacted (compact revision "
                            + compactRevision
                            + "); start again with --rev "
                            + compactRevision
                            + " or later");
                ended.complete(1);
              }

              @Override
              public void onCanceled(String reason) {
                err().println("aimctl: watch canceled: " + reason);
                ended.complete(1);
              }
            });
    return ended.get();
  }

  private void print(Event e) {
    if (json()) {
      out().println(Json.line(Json.proto(e)));
      return;
    }
    StringBuilder line =
        new StringBuilder()
            .append(e.getType().name())
            .append(' ')
            .append(Text.bytes(e.getKv().getKey()));
    if (e.getType() == Event.EventType.PUT) {
      line.append(' ').append(Text.bytes(e.getKv().getValue()));
    }
    line.append("  (rev ").append(e.getKv().getModRevision()).append(')');
    if (e.hasPrevKv()) {
      line.append("  was ").append(Text.bytes(e.getPrevKv().getValue()));
    }
    out().println(line);
  }
}
