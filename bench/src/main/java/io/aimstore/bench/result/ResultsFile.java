package io.aimstore.bench.result;

import io.aimstore.testkit.Json;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * results.jsonl: one JSON object per line, {@code "type"} telling which record it is. Lines are
 * appended and flushed as results come in, so an interrupted run keeps what it measured.
 */
public final class ResultsFile implements AutoCloseable {
  /** What every line holds: which record it is. */
  private record Typed(String type) {}

  private final Writer out;

  private ResultsFile(Writer out) {
    this.out = out;
  }

  public static ResultsFile create(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return new ResultsFile(
        Files.newBufferedWriter(
            file,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING));
  }

  public synchronized void append(Object record) throws IOException {
    out.write(toJson(record));
    out.write('\n');
    out.flush();
  }

  public static String toJson(Object record) {
    return Json.line(record);
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  /** Everything a results file holds. */
  public record Contents(Environment env, List<Measurement> results, List<RunError> errors) {}

  public static Contents read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  public static Contents parse(List<String> lines) {
    Environment env = null;
    List<Measurement> results = new ArrayList<>();
    List<RunError> errors = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      String type = Json.parse(line, Typed.class).type();
      switch (type == null ? "" : type) {
        case Environment.TYPE -> env = Json.parse(line, Environment.class);
        case Measurement.TYPE -> results.add(Json.parse(line, Measurement.class));
        case RunError.TYPE -> errors.add(Json.parse(line, RunError.class));
        default -> {
          // a record type from a newer bench: ignore
        }
      }
    }
    return new Contents(env, results, errors);
  }
}
