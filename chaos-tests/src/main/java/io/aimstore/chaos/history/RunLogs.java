package io.aimstore.chaos.history;

import io.aimstore.testkit.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The other records of a run besides its {@link History}, as JSON lines, so that a failing run can
 * be checked again: what watchers received ({@link WatchLog}), the changes the store acknowledged
 * ({@link WatchEvent}), the fenced writes it accepted ({@link FencedWrite}), and the final read of
 * every key. Lines look like:
 *
 * <pre>
 * {"watch":"w0","start":"/a/","end":"/a0","startRevision":5,"messages":[{"events":[{"revision":7,
 *   "key":"/a/k","type":"PUT","value":"v"}]},{"progress":9},{"resumed":8}]}
 * {"revision":7,"key":"/a/k","type":"PUT","value":"v"}
 * {"lock":"l","token":12,"client":1,"read":3,"written":4,"revision":15}
 * {"key":"/a/k","value":"v","modRevision":7}
 * </pre>
 */
public final class RunLogs {

  private RunLogs() {}

  public static void writeWatchLogs(List<WatchLog> logs, Path file) throws IOException {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (WatchLog log : logs) {
      List<Object> messages = new ArrayList<>();
      for (WatchMessage m : log.messages()) {
        Map<String, Object> message = new LinkedHashMap<>();
        if (m instanceof WatchMessage.Events e) {
          List<Object> events = new ArrayList<>();
          e.events().forEach(ev -> events.add(event(ev)));
          message.put("events", events);
        } else if (m instanceof WatchMessage.Progress p) {
          message.put("progress", p.revision());
        } else if (m instanceof WatchMessage.Resumed r) {
          message.put("resumed", r.revision());
        }
        messages.add(message);
      }
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("watch", log.watchId());
      line.put("start", log.range().start());
      line.put("end", log.range().end());
      line.put("startRevision", log.startRevision());
      line.put("messages", messages);
      lines.add(line);
    }
    writeLines(lines, file);
  }

  public static List<WatchLog> readWatchLogs(Path file) throws IOException {
    List<WatchLog> out = new ArrayList<>();
    for (Map<?, ?> line : readLines(file)) {
      List<WatchMessage> messages = new ArrayList<>();
      for (Object item : (List<?>) line.get("messages")) {
        Map<?, ?> m = (Map<?, ?>) item;
        if (m.containsKey("events")) {
          List<WatchEvent> events = new ArrayList<>();
          for (Object e : (List<?>) m.get("events")) {
            events.add(event((Map<?, ?>) e));
          }
          messages.add(new WatchMessage.Events(events));
        } else if (m.containsKey("progress")) {
          messages.add(new WatchMessage.Progress((Long) m.get("progress")));
        } else {
          messages.add(new WatchMessage.Resumed((Long) m.get("resumed")));
        }
      }
      out.add(
          new WatchLog(
              (String) line.get("watch"),
              new KeyRange((String) line.get("start"), (String) line.get("end")),
              (Long) line.get("startRevision"),
              messages));
    }
    return out;
  }

  public static void writeEvents(Collection<WatchEvent> events, Path file) throws IOException {
    writeLines(events.stream().map(RunLogs::event).toList(), file);
  }

  public static List<WatchEvent> readEvents(Path file) throws IOException {
    return readLines(file).stream().map(RunLogs::event).toList();
  }

  public static void writeFencedWrites(Collection<FencedWrite> writes, Path file)
      throws IOException {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (FencedWrite w : writes) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("lock", w.lock());
      line.put("token", w.token());
      line.put("client", (long) w.client());
      line.put("read", w.readValue());
      line.put("written", w.writtenValue());
      line.put("revision", w.revision());
      lines.add(line);
    }
    writeLines(lines, file);
  }

  public static List<FencedWrite> readFencedWrites(Path file) throws IOException {
    List<FencedWrite> out = new ArrayList<>();
    for (Map<?, ?> line : readLines(file)) {
      out.add(
          new FencedWrite(
              (String) line.get("lock"),
              (Long) line.get("token"),
              Math.toIntExact((Long) line.get("client")),
              (Long) line.get("read"),
              (Long) line.get("written"),
              (Long) line.get("revision")));
    }
    return out;
  }

  /** The final read: one line per key; a missing key has no value. */
  public static void writeFinalRead(
      Map<String, StoredValue> values, Collection<String> keys, Path file) throws IOException {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String key : keys) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("key", key);
      StoredValue v = values.get(key);
      if (v != null) {
        line.put("value", v.value());
        line.put("modRevision", v.modRevision());
      }
      lines.add(line);
    }
    writeLines(lines, file);
  }

  public static Map<String, StoredValue> readFinalRead(Path file) throws IOException {
    Map<String, StoredValue> out = new TreeMap<>();
    for (Map<?, ?> line : readLines(file)) {
      if (line.get("value") != null) {
        out.put(
            (String) line.get("key"),
            new StoredValue(line.get("value"), (Long) line.get("modRevision")));
      }
    }
    return out;
  }

  private static Map<String, Object> event(WatchEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("revision", e.revision());
    m.put("key", e.key());
    m.put("type", e.type().name());
    if (e.value() != null) {
      m.put("value", e.value());
    }
    return m;
  }

  private static WatchEvent event(Map<?, ?> m) {
    return new WatchEvent(
        (Long) m.get("revision"),
        (String) m.get("key"),
        WatchEvent.Type.valueOf((String) m.get("type")),
        m.get("value"));
  }

  private static void writeLines(List<Map<String, Object>> lines, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map<String, Object> line : lines) {
        out.write(Json.line(line));
        out.newLine();
      }
    }
  }

  private static List<Map<?, ?>> readLines(Path file) throws IOException {
    List<Map<?, ?>> out = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add((Map<?, ?>) Json.parse(line));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
