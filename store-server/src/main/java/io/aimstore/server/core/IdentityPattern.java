package io.aimstore.server.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pattern of identities, as bindings name them: an identity whose path segments may be written as
 * {@code {variable}} (matches one non-empty segment and captures it) and which may end in {@code
 * /*} (matches one or more further segments). Everything else matches itself exactly.
 *
 * <pre>
 *   spiffe://aimstore/fleet/{fleet}/drone/{drone}
 *       matches spiffe://aimstore/fleet/f1/drone/d7   with fleet=f1, drone=d7
 *   spiffe://aimstore/operator/*
 *       matches spiffe://aimstore/operator/alice, …/operator/team/bob
 * </pre>
 */
final class IdentityPattern {
  private static final int MAX_CHARS = 512;

  private final String text;
  private final List<String> segments;
  private final boolean tail;

  private IdentityPattern(String text, List<String> segments, boolean tail) {
    this.text = text;
    this.segments = segments;
    this.tail = tail;
  }

  /** Parses a pattern; INVALID_ARGUMENT naming what is wrong with it. */
  static IdentityPattern parse(String text) {
    if (text.isBlank() || text.length() > MAX_CHARS) {
      throw StoreException.invalid(
          "identity pattern must be 1-" + MAX_CHARS + " characters, got '" + text + "'");
    }
    List<String> parts = List.of(text.split("/", -1));
    boolean tail = parts.get(parts.size() - 1).equals("*");
    List<String> segments = tail ? parts.subList(0, parts.size() - 1) : parts;
    for (String s : segments) {
      if (s.contains("*")) {
        throw StoreException.invalid(
            "identity pattern '" + text + "': '*' may only be the last segment, after a '/'");
      }
      boolean opens = s.startsWith("{");
      boolean closes = s.endsWith("}");
      if (opens != closes
          || (opens && !s.substring(1, s.length() - 1).matches("[a-z][a-z0-9_]{0,31}"))
          || (!opens && (s.contains("{") || s.contains("}")))) {
        throw StoreException.invalid(
            "identity pattern '"
                + text
                + "': a variable is a whole segment like {fleet} (lower case letters, digits, _)");
      }
    }
    return new IdentityPattern(text, List.copyOf(segments), tail);
  }

  /** The captured variables if {@code identity} matches. */
  Optional<Map<String, String>> match(String identity) {
    String[] parts = identity.split("/", -1);
    if (tail ? parts.length <= segments.size() : parts.length != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> captured = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String want = segments.get(i);
      if (want.startsWith("{")) {
        if (parts[i].isEmpty()) {
          return Optional.empty();
        }
        captured.put(want.substring(1, want.length() - 1), parts[i]);
      } else if (!want.equals(parts[i])) {
        return Optional.empty();
      }
    }
    if (tail) {
      for (int i = segments.size(); i < parts.length; i++) {
        if (parts[i].isEmpty()) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(captured);
  }

  @Override
  public String toString() {
    return text;
  }
}
