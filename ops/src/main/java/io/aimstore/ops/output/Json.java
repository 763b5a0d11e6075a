package io.aimstore.ops.output;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.MessageOrBuilder;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * What {@code -o json} prints, one convention for every command (docs/operations.md, "JSON
 * output"):
 *
 * <ul>
 *   <li>field names are snake_case, the names of the {@code .proto} fields where a message is
 *       shown;
 *   <li>integers (counts, revisions, indexes, tokens, lease ids) are JSON numbers, int64 in full;
 *       64-bit identifiers derived from names ({@code cluster_id}, {@code member_id}, a member's
 *       {@code id}, a status's {@code leader}) are 16-digit lowercase hex strings;
 *   <li>times are Unix epoch milliseconds (UTC) in fields ending {@code _at_ms} (or {@code
 *       since_ms}), durations milliseconds in fields ending {@code _ms}, except lease TTLs, whole
 *       seconds as in the API ({@code ttl}, {@code granted_ttl});
 *   <li>keys and values are UTF-8 text when printable, else base64 in a field named with a {@code
 *       _base64} suffix ({@code value_base64});
 *   <li>enums are their names; every scalar field is present (zero values included), a message
 *       field only when set.
 * </ul>
 *
 * One JSON document per command, pretty-printed; streams ({@code watch}, {@code lease keepalive})
 * print one compact document per line.
 */
public final class Json {
  private static final Gson PRETTY =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
  private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

  /** uint64 fields holding a hash of a name rather than a quantity. */
  private static final Set<String> HEX_IDS =
      Set.of(
          "aimstore.v1.ResponseHeader.cluster_id",
          "aimstore.v1.ResponseHeader.member_id",
          "aimstore.v1.Member.id",
          "aimstore.v1.StatusResponse.leader");

  private Json() {}

  public static String pretty(JsonElement e) {
    return PRETTY.toJson(e);
  }

  /** One line, for streams of events. */
  public static String line(JsonElement e) {
    return COMPACT.toJson(e);
  }

  /** A 64-bit identifier as 16 lowercase hex digits. */
  public static String hexId(long id) {
    return String.format("%016x", id);
  }

  /** Adds bytes as text when printable, else as {@code field_base64}. */
  public static void putBytes(JsonObject o, String field, ByteString b) {
    if (Text.isPrintable(b)) {
      o.addProperty(field, b.toStringUtf8());
    } else {
      o.addProperty(field + "_base64", Base64.getEncoder().encodeToString(b.toByteArray()));
    }
  }

  /** A protobuf message by the convention above. */
  public static JsonObject proto(MessageOrBuilder m) {
    JsonObject o = new JsonObject();
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      if (f.isMapField()) {
        JsonObject map = new JsonObject();
        for (Object entry : (List<?>) m.getField(f)) {
          MapEntry<?, ?> e = (MapEntry<?, ?>) entry;
          FieldDescriptor valueField = e.getDescriptorForType().findFieldByName("value");
          map.add(String.valueOf(e.getKey()), value(valueField, e.getValue()));
        }
        o.add(f.getName(), map);
      } else if (f.isRepeated()) {
        JsonArray a = new JsonArray();
        for (Object v : (List<?>) m.getField(f)) {
          a.add(value(f, v));
        }
        o.add(f.getName(), a);
      } else if (f.hasPresence() && !m.hasField(f)) {
        continue;
      } else if (f.getType() == FieldDescriptor.Type.BYTES) {
        putBytes(o, f.getName(), (ByteString) m.getField(f));
      } else {
        o.add(f.getName(), value(f, m.getField(f)));
      }
    }
    return o;
  }

  /** A list of messages as a JSON array. */
  public static JsonArray protos(Iterable<? extends MessageOrBuilder> ms) {
    JsonArray a = new JsonArray();
    ms.forEach(m -> a.add(proto(m)));
    return a;
  }

  /** A list of messages as {@code {"field": [...]}}, the way a command prints a list. */
  public static JsonObject list(String field, Iterable<? extends MessageOrBuilder> ms) {
    JsonObject o = new JsonObject();
    o.add(field, protos(ms));
    return o;
  }

  private static JsonElement value(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case MESSAGE -> proto((MessageOrBuilder) v);
      case ENUM -> new JsonPrimitive(v.toString());
      case BYTE_STRING -> new JsonPrimitive(Text.bytes((ByteString) v));
      case BOOLEAN -> new JsonPrimitive((Boolean) v);
      case STRING -> new JsonPrimitive((String) v);
      case FLOAT, DOUBLE -> new JsonPrimitive((Number) v);
      case INT ->
          new JsonPrimitive(unsigned(f) ? Integer.toUnsignedLong((Integer) v) : (Integer) v);
      case LONG -> {
        long l = (Long) v;
        if (HEX_IDS.contains(f.getFullName())) {
          yield new JsonPrimitive(hexId(l));
        }
        yield new JsonPrimitive(
            unsigned(f) ? new BigInteger(Long.toUnsignedString(l)) : BigInteger.valueOf(l));
      }
    };
  }

  private static boolean unsigned(FieldDescriptor f) {
    FieldDescriptor.Type t = f.getType();
    return t == FieldDescriptor.Type.UINT32
        || t == FieldDescriptor.Type.UINT64
        || t == FieldDescriptor.Type.FIXED32
        || t == FieldDescriptor.Type.FIXED64;
  }
}
