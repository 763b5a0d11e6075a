package io.aimstore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogsTest {
  @TempDir Path dir;

  @Test
  void watchLogsRoundTrip() throws IOException {
    List<WatchLog> logs =
        List.of(
            new WatchLog(
                "w0",
                KeyRange.prefix("/a/"),
                5,
                List.of(
                    new WatchMessage.Events(
                        List.of(WatchEvent.put(7, "/a/x", "v"), WatchEvent.delete(7, "/a/y"))),
                    new WatchMessage.Progress(9),
                    new WatchMessage.Resumed(8),
                    new WatchMessage.Events(List.of(WatchEvent.put(10, "/a/x", 42L))))),
            new WatchLog("w1", new KeyRange("/a/", null), 1, List.of()));
    RunLogs.writeWatchLogs(logs, dir.resolve("w.jsonl"));
    assertThat(RunLogs.readWatchLogs(dir.resolve("w.jsonl"))).isEqualTo(logs);
  }

  @Test
  void eventsFencedWritesAndFinalReadsRoundTrip() throws IOException {
    List<WatchEvent> events = List.of(WatchEvent.put(3, "k", "v"), WatchEvent.delete(4, "k"));
    RunLogs.writeEvents(events, dir.resolve("e.jsonl"));
    assertThat(RunLogs.readEvents(dir.resolve("e.jsonl"))).isEqualTo(events);

    List<FencedWrite> writes = List.of(new FencedWrite("l", 12, 3, 4, 5, 15));
    RunLogs.writeFencedWrites(writes, dir.resolve("f.jsonl"));
    assertThat(RunLogs.readFencedWrites(dir.resolve("f.jsonl"))).isEqualTo(writes);

    Map<String, StoredValue> values = new TreeMap<>(Map.of("a", new StoredValue("x", 7)));
    RunLogs.writeFinalRead(values, List.of("a", "missing"), dir.resolve("r.jsonl"));
    assertThat(RunLogs.readFinalRead(dir.resolve("r.jsonl"))).isEqualTo(values);
  }
}
