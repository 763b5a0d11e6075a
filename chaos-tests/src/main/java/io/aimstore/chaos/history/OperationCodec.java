package io.aimstore.chaos.history;

import io.aimstore.testkit.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link Operation} as one line of JSON, for example:
 *
 * <pre>
 * {"process":3,"kind":"CAS","input":[{"kind":"CAS","key":"x","expected":"a","value":"b"}],
 *  "output":[true],"invoke":100,"complete":250,"outcome":"OK","revision":7}
 * </pre>
 *
 * (on one line). String values are JSON strings, long values JSON numbers; null fields of an access
 * are left out.
 */
final class OperationCodec {

  private OperationCodec() {}

  static String encode(Operation op) {
    List<Object> input = new ArrayList<>();
    for (Access access : op.input()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("kind", access.kind().name());
      a.put("key", access.key());
      if (access.expected() != null) {
        a.put("expected", access.expected());
      }
      if (access.value() != null) {
        a.put("value", access.value());
      }
      input.add(a);
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("process", (long) op.process());
    line.put("kind", op.kind().name());
    line.put("input", input);
    line.put("output", op.output());
    line.put("invoke", op.invokeNanos());
    line.put("complete", op.completeNanos());
    line.put("outcome", op.outcome().name());
    line.put("revision", op.revision());
    return Json.line(line);
  }

  static Operation decode(String line) {
    Map<?, ?> fields = as(Map.class, Json.parse(line), "operation");
    List<Access> input = new ArrayList<>();
    for (Object item : as(List.class, fields.get("input"), "input")) {
      Map<?, ?> a = as(Map.class, item, "access");
      input.add(
          new Access(
              OpKind.valueOf(as(String.class, a.get("kind"), "kind")),
              as(String.class, a.get("key"), "key"),
              a.get("expected"),
              a.get("value")));
    }
    return new Operation(
        Math.toIntExact(as(Long.class, fields.get("process"), "process")),
        OpKind.valueOf(as(String.class, fields.get("kind"), "kind")),
        input,
        as(List.class, fields.get("output"), "output"),
        as(Long.class, fields.get("invoke"), "invoke"),
        as(Long.class, fields.get("complete"), "complete"),
        Outcome.valueOf(as(String.class, fields.get("outcome"), "outcome")),
        as(Long.class, fields.get("revision"), "revision"));
  }

  @SuppressWarnings("unchecked")
  private static <T> T as(Class<? super T> type, Object value, String field) {
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          field + " is not a " + type.getSimpleName() + ": " + value);
    }
    return (T) value;
  }
}
