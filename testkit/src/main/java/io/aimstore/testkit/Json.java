package io.aimstore.testkit;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.ToNumberStrategy;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.StringReader;

/**
 * The JSON the harness writes and reads: chaos histories and reports, bench results.
 *
 * <ul>
 *   <li>{@link #line} and {@link #pretty} write maps, lists, strings, numbers, booleans, {@code
 *       null} (kept in maps too) and records, whose component names are written in snake_case
 *       ({@code opsPerS} → {@code "ops_per_s"}); no HTML escaping, NaN and infinities written as
 *       such.
 *   <li>{@link #parse(String)} reads the subset histories and reports are stored in: objects (as
 *       insertion-ordered maps), arrays (lists), strings, integers ({@link Long}), booleans and
 *       {@code null}; strictly: no fractions, no unquoted names, nothing after the value.
 *   <li>{@link #parse(String, Class)} reads a record written by {@link #line}; numbers in its
 *       {@code Object}-typed parts come back as {@link Double}.
 * </ul>
 *
 * Every malformed input is an {@link IllegalArgumentException}.
 */
public final class Json {
  private static final ToNumberStrategy INTEGERS_ONLY =
      in -> {
        String literal = in.nextString();
        try {
          return Long.parseLong(literal);
        } catch (NumberFormatException e) {
          throw new MalformedJsonException("expected an integer, got " + literal);
        }
      };

  private static final Gson WRITER = builder().serializeNulls().create();
  private static final Gson PRETTY = builder().serializeNulls().setPrettyPrinting().create();
  private static final Gson TREES =
      builder().setObjectToNumberStrategy(INTEGERS_ONLY).setStrictness(Strictness.STRICT).create();
  private static final Gson RECORDS = builder().create();

  private Json() {}

  private static GsonBuilder builder() {
    return new GsonBuilder()
        .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
        .serializeSpecialFloatingPointValues()
        .disableHtmlEscaping();
  }

  /** {@code value} as compact JSON on one line. */
  public static String line(Object value) {
    return WRITER.toJson(value);
  }

  /** {@code value} as JSON for people: one field or element per line, indented by two spaces. */
  public static String pretty(Object value) {
    return PRETTY.toJson(value) + "\n";
  }

  /** Parses one JSON value of the subset above that must fill {@code text} (whitespace aside). */
  public static Object parse(String text) {
    JsonReader in = new JsonReader(new StringReader(text));
    in.setStrictness(Strictness.STRICT);
    try {
      Object value = TREES.getAdapter(Object.class).read(in);
      if (in.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("trailing characters in: " + text);
      }
      return value;
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage() + " in: " + text, e);
    }
  }

  /** Parses a record of {@code type} written by {@link #line}; unknown fields are ignored. */
  public static <T> T parse(String text, Class<T> type) {
    try {
      return RECORDS.fromJson(text, type);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(e.getMessage() + " in: " + text, e);
    }
  }
}
