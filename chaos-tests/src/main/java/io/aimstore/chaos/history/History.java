package io.aimstore.chaos.history;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations of one run, in the order they were recorded (checkers order them by time
 * themselves).
 *
 * <p>A history is stored as JSON lines, one {@link Operation} per line (see {@link #write}), so a
 * failing run can be kept and checked again.
 */
public record History(List<Operation> operations) {

  public History {
    operations = List.copyOf(operations);
  }

  /** Every key some operation touches, sorted. */
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (Operation op : operations) {
      keys.addAll(op.keys());
    }
    return keys;
  }

  /**
   * Splits the history into independent parts that can be checked one by one: two keys share a part
   * if some operation (a multi-key {@link OpKind#TXN}) touches both, directly or through other
   * keys. With single-key operations only, this is one part per key. Parts are ordered by their
   * smallest key, operations keep their order.
   */
  public List<History> splitByKey() {
    Map<String, String> parent = new HashMap<>();
    for (Operation op : operations) {
      String first = null;
      for (String key : op.keys()) {
        parent.putIfAbsent(key, key);
        if (first == null) {
          first = root(parent, key);
        } else {
          parent.put(root(parent, key), first);
        }
      }
    }
    Map<String, List<Operation>> parts = new LinkedHashMap<>();
    for (String key : new TreeSet<>(parent.keySet())) {
      parts.computeIfAbsent(root(parent, key), r -> new ArrayList<>());
    }
    for (Operation op : operations) {
      parts.get(root(parent, op.input().get(0).key())).add(op);
    }
    return parts.values().stream().map(History::new).toList();
  }

  private static String root(Map<String, String> parent, String key) {
    String root = key;
    while (!parent.get(root).equals(root)) {
      root = parent.get(root);
    }
    parent.put(key, root);
    return root;
  }

  /** Writes the history to {@code file} as UTF-8 JSON lines, replacing it. */
  public void write(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Operation op : operations) {
        out.write(OperationCodec.encode(op));
        out.newLine();
      }
    }
  }

  /**
   * Reads a history written by {@link #write}; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the line, if a line is not a valid operation
   */
  public static History read(Path file) throws IOException {
    List<Operation> operations = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          operations.add(OperationCodec.decode(line));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
        }
      }
    }
    return new History(operations);
  }
}
